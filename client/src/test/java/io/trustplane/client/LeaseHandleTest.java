package io.trustplane.client;

import io.trustplane.client.Model.Evidence;
import io.trustplane.client.Model.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Leases kept alive by the client against the real lease service, lost to an operator, and run to their limit. */
@ExtendWith(ClientSuite.Extension.class)
class LeaseHandleTest {

    /** What a listener heard. */
    record Heard(LeaseListener.Reason reason, String detail) {
    }

    @Test
    void aHeldLeaseOutlivesSeveralTtls(ClientSuite suite) {
        String agent = "sdk-keep-" + UUID.randomUUID();
        List<Heard> heard = new CopyOnWriteArrayList<>();
        // 8 s: renewed every ~2.7 s, so a renewal slowed by a loaded machine still has ~5 s to get through
        int ttl = 8;
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent));
             LeaseHandle handle = tp.leases().hold("keep-" + UUID.randomUUID(), Phase.STRATEGIZE, ttl,
                     (h, reason, detail) -> heard.add(new Heard(reason, detail)))) {
            Instant acquired = handle.lease().acquiredAt();
            Instant threeTtls = acquired.plusSeconds(3L * ttl);
            await().atMost(Duration.ofSeconds(90)).until(() -> Instant.now().isAfter(threeTtls));

            Lease seen = tp.leases().get(handle.lease().leaseId());
            assertThat(seen.status()).as("lost: %s", heard).isEqualTo("ACTIVE");
            assertThat(seen.acquiredAt()).isEqualTo(acquired);
            assertThat(seen.expiresAt()).isAfter(threeTtls);
            assertThat(seen.renewals()).isGreaterThanOrEqualTo(3);
            assertThat(handle.isHeld()).isTrue();
            assertThat(heard).isEmpty();
        }
    }

    @Test
    void aLeaseRenewedUpToItsLimitIsKeptUntilItExpiresThenReportedLost(ClientSuite suite) {
        String agent = "sdk-limit-" + UUID.randomUUID();
        List<Heard> heard = new CopyOnWriteArrayList<>();
        AtomicBoolean limit = new AtomicBoolean();
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent))) {
            LeaseHandle handle = tp.leases().hold("limit-" + UUID.randomUUID(), Phase.STRATEGIZE, 3, new LeaseListener() {
                @Override
                public void onLost(LeaseHandle h, Reason reason, String detail) {
                    heard.add(new Heard(reason, detail));
                }

                @Override
                public void onRenewalLimit(LeaseHandle h) {
                    limit.set(true);
                }
            });
            await().atMost(Duration.ofSeconds(90)).until(() -> !heard.isEmpty());
            assertThat(limit).as("lost before the limit: %s", heard).isTrue();
            assertThat(heard).extracting(Heard::reason).containsExactly(LeaseListener.Reason.EXPIRED);
            Lease last = tp.leases().get(handle.lease().leaseId());
            assertThat(last.renewals()).isEqualTo(ClientSuite.MAX_RENEWALS);
            handle.close();
        }
    }

    @Test
    void anOperatorsForceReleaseReachesTheListenerAndTheOldTokenIsRefused(ClientSuite suite) {
        String agent = "sdk-revoked-" + UUID.randomUUID();
        String taskId = "revoked-" + UUID.randomUUID();
        List<Heard> heard = new CopyOnWriteArrayList<>();
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent));
             TrustplaneClient operator = suite.client(suite.tokens().operator())) {
            tp.tasks().create(taskId, "force-release", null);
            // a long TTL: the loss can only be learnt from the event stream, not from a renewal
            TaskSession session = tp.tasks().session(taskId, 300, (h, reason, detail) -> heard.add(new Heard(reason, detail)));
            var moved = session.advance(Evidence.of("strategy", "mem:strategy", "plan A".getBytes(StandardCharsets.UTF_8)));
            assertThat(moved.to()).isEqualTo("SPEC");
            long token = session.lease().fencingToken();
            assertThat(token).isEqualTo(moved.fencingToken());
            await().atMost(Duration.ofSeconds(30)).until(session.lease()::isWatched);

            operator.leases().forceRelease(session.lease().lease().leaseId(), "operator takes the task back");

            await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
            assertThat(heard).extracting(Heard::reason).containsExactly(LeaseListener.Reason.REVOKED);
            assertThat(session.lease().isHeld()).isFalse();

            ConflictException refused = catchThrowableOfType(ConflictException.class,
                    () -> tp.tasks().transition(taskId, Phase.PLAN,
                            List.of(Evidence.of("spec", "mem:spec", new byte[] {1})), token));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("lease_required");
            assertThat(refused.errors()).extracting(FieldError::field).contains("fencingToken");
            assertThat(tp.tasks().get(taskId).phase()).isEqualTo(Phase.SPEC);
            session.close();
        }
    }
}

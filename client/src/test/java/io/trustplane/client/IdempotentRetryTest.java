package io.trustplane.client;

import io.trustplane.client.Model.Lease;
import io.trustplane.launcher.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A creating call whose answer is lost on the way back is retried with its key and replayed, not run twice. */
@ExtendWith(ClientSuite.Extension.class)
class IdempotentRetryTest {

    @Test
    void anAcquireWhoseAnswerWasDroppedIsReplayedOnRetry(ClientSuite suite) throws Exception {
        String agent = "sdk-replay-" + UUID.randomUUID();
        String taskId = "replay-" + UUID.randomUUID();
        int leasePort = URI.create(suite.url(ServiceSpec.byName("lease"))).getPort();
        try (DroppingProxy proxy = new DroppingProxy(leasePort);
             TrustplaneClient direct = suite.client(suite.tokens().agent(agent));
             TrustplaneClient flaky = suite.builder(suite.tokens().agent(agent)).lease(proxy.url()).build()) {

            Lease lease = flaky.leases().acquire(taskId, Phase.STRATEGIZE, 60);

            assertThat(proxy.dropped()).as("the first answer was cut").isEqualTo(1);
            assertThat(proxy.connections()).as("the retry came on a new connection").isEqualTo(2);
            // leases are not reentrant: a second acquire would have been 409 lease_held, so this is the first answer
            List<Lease> live = direct.leases().find(taskId, Phase.STRATEGIZE);
            assertThat(live).extracting(Lease::leaseId).containsExactly(lease.leaseId());
            assertThat(lease.holder()).isEqualTo(agent);
            direct.leases().release(lease.leaseId());
        }
    }
}

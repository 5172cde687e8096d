package io.trustplane.telemetry.events;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.events.StreamConsumer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.trustplane.telemetry.TestSupport.scalar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One consumed batch folded into one write per kind stores what the events applied one by one would have stored:
 * counters summed per 10 s bucket, a repeated id counted once, an agent's last state, a lease's last state.
 */
@QuarkusTest
class BatchIngestResourceTest {

    @Inject
    EventIngestor ingestor;
    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;

    private int entry;

    @Test
    void aBatchStoresTheSameAsItsEventsOneByOne() {
        String u = UUID.randomUUID().toString().substring(0, 8);
        String agent = "batch-agent-" + u;
        // a bucket boundary (10 s buckets) an hour ago: t0 starts one bucket, t0 + 10 s the next
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        DomainEvent allowed = new DomainEvent.RoleGateAllowed("ev-" + u, "implementer", "ALLOW", "L1", "ok", "r1", 1,
                "T2", "T2", "repo", "write", null, null);
        DomainEvent denied = new DomainEvent.RoleGateDenied("ev-" + u, "implementer", "DENY", "L1", "no", "r1", 1,
                "T2", "T2", "repo", "admin", null, null);
        String leaseGone = "lease-gone-" + u;
        String leaseHeld = "lease-held-" + u;
        String leaseBack = "lease-back-" + u;

        List<StreamConsumer.Delivery> batch = new ArrayList<>();
        StreamConsumer.Delivery first = delivery(agent, t0.plusSeconds(1), allowed);
        batch.add(first);
        batch.add(delivery(agent, t0.plus(Duration.ofMillis(9_999)), allowed));
        batch.add(first); // the same event twice in one batch (a producer retry)
        batch.add(delivery(agent, t0.plusSeconds(10), allowed));
        batch.add(delivery(agent, t0.plusSeconds(2), denied));
        batch.add(delivery(agent, t0.plusSeconds(3), denied));
        batch.add(delivery("lease-holder", t0.plusSeconds(3), acquired(leaseGone)));
        batch.add(delivery("lease-holder", t0.plusSeconds(4), released(leaseGone)));
        batch.add(delivery("lease-holder", t0.plusSeconds(4), acquired(leaseHeld)));
        batch.add(delivery("lease-holder", t0.plusSeconds(5), released(leaseBack)));
        batch.add(delivery("lease-holder", t0.plusSeconds(6), acquired(leaseBack)));
        batch.add(delivery(agent, t0.plusSeconds(7), new DomainEvent.AgentScoreChanged(700, 700, "T2", false)));
        batch.add(delivery(agent, t0.plusSeconds(8), new DomainEvent.AgentScoreChanged(650, 650, "T1", false)));

        ingestor.handleBatch(batch);
        assertStored(agent, t0, leaseGone, leaseHeld, leaseBack);

        // the whole batch redelivered changes nothing
        ingestor.handleBatch(batch);
        assertStored(agent, t0, leaseGone, leaseHeld, leaseBack);
    }

    private void assertStored(String agent, Instant t0, String leaseGone, String leaseHeld, String leaseBack) {
        Instant t10 = t0.plusSeconds(10);
        // allowed at t0+1 s and t0+9.999 s (the repeat not counted), then one at t0+10 s in the next bucket
        assertThat(bucket("role_gate_allowed", agent, t0)).isEqualTo(2);
        assertThat(bucket("role_gate_allowed", agent, t10)).isEqualTo(1);
        assertThat(bucket("role_gate_denied", agent, t0)).isEqualTo(2);
        assertThat(bucket("boundary_probes", agent, t0)).isEqualTo(2);
        assertThat(scalar(pool, "SELECT count(*) FROM counter_buckets WHERE agent_id = $1", agent))
                .as("one row per name and bucket").isEqualTo(4);

        assertThat(scalar(pool, "SELECT count(*) FROM leases_active WHERE lease_id = $1", leaseGone))
                .as("acquired then released in one batch").isZero();
        assertThat(scalar(pool, "SELECT count(*) FROM leases_active WHERE lease_id = $1", leaseHeld)).isEqualTo(1);
        assertThat(scalar(pool, "SELECT count(*) FROM leases_active WHERE lease_id = $1", leaseBack))
                .as("released then acquired again: the last event wins").isEqualTo(1);

        Row seen = pool.preparedQuery("SELECT tier, score FROM agents_seen WHERE agent_id = $1")
                .execute(Tuple.of(agent)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(seen.getString("tier")).isEqualTo("T1");
        assertThat(seen.getDouble("score")).isEqualTo(650.0);
        assertThat(scalar(pool, "SELECT count(*) FROM score_history WHERE agent_id = $1", agent)).isEqualTo(2);
    }

    private long bucket(String name, String agent, Instant start) {
        return scalar(pool, "SELECT coalesce(sum(value), 0) FROM counter_buckets WHERE name = $1 AND agent_id = $2"
                + " AND bucket_start = $3", name, agent, OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
    }

    private StreamConsumer.Delivery delivery(String subject, Instant at, DomainEvent event) {
        EventEnvelope e = publisher.codec().envelope(new Outbox.Pending(UUID.randomUUID().toString(), at, subject,
                event));
        return new StreamConsumer.Delivery("0-" + (++entry), e);
    }

    private static DomainEvent acquired(String leaseId) {
        return new DomainEvent.LeaseAcquired(leaseId, "task-1", "PLAN", "lease-holder", 1);
    }

    private static DomainEvent released(String leaseId) {
        return new DomainEvent.LeaseReleased(leaseId, "task-1", "PLAN", "lease-holder", 1, "done", false);
    }
}

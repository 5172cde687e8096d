package io.trustplane.lease.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TrustplaneTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static io.trustplane.lease.rest.LeaseApi.acquire;
import static io.trustplane.lease.rest.LeaseApi.createTask;
import static io.trustplane.lease.rest.LeaseApi.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What lease-service publishes, read back from the streams as catalogue records: every state change's event leaves
 * through the outbox (so the records match what the API answered, the ledger's anchors match the ledger), and a
 * Redis outage while a task moves delays those events without losing or repeating one.
 */
@QuarkusTest
class OutboxEventsResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    RedisDataSource redis;
    @Inject
    EventPublisher codec;
    @Inject
    Pool pool;

    /** A decoded stream entry. */
    record Seen(EventEnvelope envelope, DomainEvent event) {
    }

    private List<Seen> read(String stream) {
        List<Seen> out = new ArrayList<>();
        for (StreamMessage<String, String, String> m : redis.stream(String.class)
                .xrange(stream, StreamRange.of("-", "+"), 1_000_000)) {
            EventEnvelope e = codec.fromJson(m.payload().get(Streams.FIELD));
            Optional<DomainEvent> decoded = codec.decode(e);
            assertThat(decoded).as("every event lease-service writes is in the catalogue: " + e.type()).isPresent();
            out.add(new Seen(e, decoded.get()));
        }
        return out;
    }

    private List<Seen> ofTask(String stream, String taskId) {
        return read(stream).stream().filter(s -> taskId.equals(taskOf(s.event()))).toList();
    }

    private static String taskOf(DomainEvent e) {
        return switch (e.eventType()) {
            case TASK_CREATED -> ((DomainEvent.TaskCreated) e).taskId();
            case LEDGER_APPENDED -> ((DomainEvent.LedgerAppended) e).taskId();
            case LEASE_ACQUIRED -> ((DomainEvent.LeaseAcquired) e).taskId();
            case LEASE_RELEASED -> ((DomainEvent.LeaseReleased) e).taskId();
            case LEASE_RENEWED -> ((DomainEvent.LeaseRenewed) e).taskId();
            case LEASE_EXPIRED -> ((DomainEvent.LeaseExpired) e).taskId();
            case PHASE_TRANSITIONED -> ((DomainEvent.PhaseTransitioned) e).taskId();
            case PHASE_VALIDATION_FAILED -> ((DomainEvent.PhaseValidationFailed) e).taskId();
            case PHASE_SKIP_ATTEMPTED -> ((DomainEvent.PhaseSkipAttempted) e).taskId();
            case EVIDENCE_GATE_FAILED -> ((DomainEvent.EvidenceGateFailed) e).taskId();
            default -> null;
        };
    }

    private long backlog() {
        return pool.query("SELECT count(*) FROM event_outbox").execute()
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(WAIT);
    }

    private static long token(io.restassured.response.ValidatableResponse r, String path) {
        return ((Number) r.extract().path(path)).longValue();
    }

    @Test
    void aTasksEventsAreTheRecordsOfWhatTheApiAnsweredAndEveryLedgerEntryIsAnchored() {
        String task = LeaseApi.newTaskId();
        String me = "agent-outbox";
        createTask(me, task).statusCode(201);
        var lease = acquire(me, task, "STRATEGIZE", 60).statusCode(201);
        String leaseId = lease.extract().path("leaseId");
        long token = token(lease, "fencingToken");
        given().auth().oauth2(LeaseApi.agent(me)).contentType("application/json").body(Map.of("ttlSeconds", 60))
                .when().post("/v1/leases/" + leaseId + "/renew").then().statusCode(200);
        var moved = transition(me, task, "SPEC", token, List.of("strategy")).statusCode(200);
        long next = token(moved, "fencingToken");
        String nextLease = moved.extract().path("lease.leaseId");
        transition(me, task, "PLAN", next, List.of()).statusCode(422); // evidence missing: a refusal, one event each
        given().auth().oauth2(LeaseApi.agent(me)).when().delete("/v1/leases/" + nextLease).then().statusCode(200);

        await().atMost(WAIT).until(() -> ofTask(Streams.EVENTS, task).size() >= 9);
        List<DomainEvent> events = ofTask(Streams.EVENTS, task).stream().map(Seen::event).toList();
        assertThat(events).contains(
                new DomainEvent.TaskCreated(task),
                new DomainEvent.LeaseAcquired(leaseId, task, "STRATEGIZE", me, token),
                new DomainEvent.LeaseRenewed(leaseId, task, "STRATEGIZE", me, token),
                new DomainEvent.PhaseTransitioned(task, "STRATEGIZE", "SPEC", "FORWARD", next, 1),
                new DomainEvent.LeaseReleased(leaseId, task, "STRATEGIZE", me, token, "handed off to SPEC", null),
                new DomainEvent.LeaseAcquired(nextLease, task, "SPEC", me, next),
                new DomainEvent.PhaseValidationFailed(task, "evidence", "SPEC", "PLAN"),
                new DomainEvent.EvidenceGateFailed(task, "SPEC", "PLAN", List.of("spec")),
                new DomainEvent.LeaseReleased(nextLease, task, "SPEC", me, next, null, null));
        assertThat(events).hasSize(9);
        // one transaction's events keep their order: the hand-off's release before the next phase's grant
        assertThat(events.indexOf(new DomainEvent.LeaseReleased(leaseId, task, "STRATEGIZE", me, token,
                "handed off to SPEC", null))).isLessThan(events.indexOf(new DomainEvent.LeaseAcquired(nextLease, task,
                "SPEC", me, next)));

        List<String> ledgerHashes = given().auth().oauth2(LeaseApi.TOKENS.operator())
                .when().get("/v1/tasks/" + task + "/ledger").then().statusCode(200).extract().path("entries.hash");
        await().atMost(WAIT).until(() -> ofTask(Streams.ANCHOR, task).size() >= ledgerHashes.size());
        assertThat(ofTask(Streams.ANCHOR, task)).extracting(s -> ((DomainEvent.LedgerAppended) s.event()).hash())
                .containsExactlyElementsOf(ledgerHashes);
    }

    @Test
    void aRedisOutageWhileATaskMovesDelaysItsEventsAndLosesNone() {
        String task = LeaseApi.newTaskId();
        String me = "agent-outage";
        Infrastructure infra = TrustplaneTestResource.infrastructure();
        infra.stopRedis();
        try {
            // the reproduction: created and moved through three phases while Redis is away, all 200
            createTask(me, task).statusCode(201);
            long token = token(acquire(me, task, "STRATEGIZE", 60).statusCode(201), "fencingToken");
            token = token(transition(me, task, "SPEC", token, List.of("strategy")).statusCode(200), "fencingToken");
            token = token(transition(me, task, "PLAN", token, List.of("spec")).statusCode(200), "fencingToken");
            transition(me, task, "THINK", token, List.of("plan")).statusCode(200);
            assertThat(backlog()).isPositive();
        } finally {
            infra.startRedis();
        }
        await().atMost(WAIT).until(() -> backlog() == 0);
        // an embedded Redis comes back empty: everything on the streams now was re-driven from the outbox
        List<Seen> events = ofTask(Streams.EVENTS, task);
        assertThat(events).extracting(s -> s.envelope().type()).containsExactly("task.created", "lease.acquired",
                "phase.transitioned", "lease.released", "lease.acquired",
                "phase.transitioned", "lease.released", "lease.acquired",
                "phase.transitioned", "lease.released", "lease.acquired");
        assertThat(events.stream().map(s -> s.envelope().id()).distinct().count()).isEqualTo(events.size());
        List<Seen> anchors = ofTask(Streams.ANCHOR, task);
        assertThat(anchors).extracting(s -> ((DomainEvent.LedgerAppended) s.event()).seq())
                .containsExactly(0L, 1L, 2L, 3L);
    }
}

package io.trustplane.e2e;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 18 item 3 across real process restarts: a provenance record and a lease are created with an
 * {@code Idempotency-Key}, then provenance-service, lease-service and Redis are all restarted, and the same requests
 * sent again get the same record and the same lease back, each stored once. The keys live in each service's
 * PostgreSQL, committed with what they created; nothing of them is in a process or in Redis.
 */
@ExtendWith(E2e.Extension.class)
class IdempotencyAcrossRestartsTest {

    /** A bound, not a measurement: services restart on a loaded 2-core machine. */
    private static final Duration READY = Duration.ofSeconds(120);

    private final E2e suite;

    IdempotencyAcrossRestartsTest(E2e suite) {
        this.suite = suite;
    }

    private Response acquire(String agent, String key, String task) {
        return suite.as("lease", suite.agent(agent)).header("Idempotency-Key", key)
                .body(Map.of("taskId", task, "phase", "STRATEGIZE")).post("/v1/leases");
    }

    private Response record(String agent, String key, int n) {
        return suite.as("provenance", suite.agent(agent)).header("Idempotency-Key", key)
                .body(Map.of("agentId", agent, "creationType", "FRESH", "metadata", Map.of("n", n)))
                .post("/v1/provenance");
    }

    @Test
    void retriesAfterRestartingProvenanceLeaseAndRedisGetTheSameRecordAndLease() throws Exception {
        String agent = unique("restart-agent");
        String task = unique("T-restart");
        String leaseKey = unique("lease-key");
        String recordKey = unique("record-key");
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", task, "title", "Task " + task))
                .post("/v1/tasks").then().statusCode(201);
        Response lease = acquire(agent, leaseKey, task);
        lease.then().statusCode(201).body("holder", equalTo(agent));
        Response record = record(agent, recordKey, 1);
        record.then().statusCode(201);

        suite.restart("provenance");
        suite.restart("lease");
        suite.infrastructure().stopRedis();
        suite.infrastructure().startRedis();
        await("every service is ready again").atMost(READY).ignoreExceptions().until(() -> suite.urls().stream()
                .allMatch(url -> RestAssured.given().baseUri(url).get("/q/health/ready").statusCode() == 200));

        Response leaseAgain = acquire(agent, leaseKey, task);
        leaseAgain.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(leaseAgain.<String>path("leaseId")).isEqualTo(lease.path("leaseId"));
        assertThat(suite.count("lease", "SELECT count(*) FROM leases WHERE task_id = ?", task)).isEqualTo(1);

        Response recordAgain = record(agent, recordKey, 1);
        recordAgain.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(recordAgain.<String>path("id")).isEqualTo(record.path("id"));
        assertThat(recordAgain.<Integer>path("leafIndex")).isEqualTo(record.path("leafIndex"));
        // FRESH: the task's and the lease's ledger anchors are the agent's records too (IMPORTED, from lease-service)
        assertThat(suite.count("provenance", "SELECT count(*) FROM provenance_record WHERE agent_id = ? "
                + "AND creation_type = 'FRESH'", agent)).isEqualTo(1);
        // the same key with another body is still refused after the restarts, as before them
        record(agent, recordKey, 2).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused")).body("errors[0].field", equalTo("Idempotency-Key"));
    }
}

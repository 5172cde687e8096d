package io.trustplane.lease;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TrustplaneTestResource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code Idempotency-Key} on lease-service's creating routes: replays return the first answer, reuse is a 409, and
 * a Redis restart between a request and its retry changes nothing (the keys live in PostgreSQL).
 */
@QuarkusTest
class IdempotencyResourceTest {

    private static RequestSpecification as(String agentId, String key) {
        return given().auth().oauth2(LeaseApi.agent(agentId)).contentType("application/json")
                .header("Idempotency-Key", key);
    }

    @Test
    void aRetriedTaskCreateAndAcquireReturnTheFirstAnswer() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("taskId", task, "title", "Idempotent task");
        String first = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201)
                .header("Idempotent-Replayed", nullValue()).extract().asString();
        String replay = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().asString();
        assertThat(replay).isEqualTo(first);
        // run again without the key, the create is refused: the replay did not run it twice
        LeaseApi.createTask(agent, task).statusCode(409);
        as(agent, key).body(Map.of("taskId", task, "title", "Another title")).post("/v1/tasks").then()
                .statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused")).body("errors[0].field", equalTo("Idempotency-Key"));

        String acquireKey = UUID.randomUUID().toString();
        Map<String, Object> acquire = Map.of("taskId", LeaseApi.newTaskId(), "phase", "SPEC", "ttlSeconds", 60);
        long token = as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .extract().jsonPath().getLong("fencingToken");
        as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("fencingToken", equalTo((int) token));
        // another agent's identical key is its own: it runs, and finds the lease held
        as("someone-else", acquireKey).body(acquire).post("/v1/leases").then().statusCode(409)
                .body("code", equalTo("lease_held"));
    }

    @Test
    void aRetryAfterARedisRestartReplaysTheFirstAnswer() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("taskId", task, "title", "Survives a Redis restart");
        String first = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201).extract().asString();
        String acquireKey = UUID.randomUUID().toString();
        Map<String, Object> acquire = Map.of("taskId", task, "phase", "SPEC", "ttlSeconds", 60);
        long token = as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .extract().jsonPath().getLong("fencingToken");

        Infrastructure infra = TrustplaneTestResource.infrastructure();
        infra.stopRedis();
        infra.startRedis();

        String replay = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().asString();
        assertThat(replay).isEqualTo(first);
        as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("fencingToken", equalTo((int) token));
        // one task, one lease: run again without a key, both are refused as existing
        LeaseApi.createTask(agent, task).statusCode(409);
        given().auth().oauth2(LeaseApi.agent(agent)).contentType("application/json").body(acquire)
                .post("/v1/leases").then().statusCode(409);
    }
}

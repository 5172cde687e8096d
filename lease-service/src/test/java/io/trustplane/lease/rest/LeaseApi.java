package io.trustplane.lease.rest;

import io.restassured.response.ValidatableResponse;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.TokenMinter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Small helpers the resource tests share: tokens, ids and the common calls. */
public final class LeaseApi {

    static final TokenMinter TOKENS = TestKeys.tokens();

    private LeaseApi() {
    }

    public static String newTaskId() {
        return "task-" + UUID.randomUUID();
    }

    static String agent(String id) {
        return TOKENS.agent(id);
    }

    static ValidatableResponse acquire(String agentId, String taskId, String phase, Integer ttlSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("taskId", taskId);
        body.put("phase", phase);
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        return given().auth().oauth2(agent(agentId)).contentType("application/json").body(body)
                .when().post("/v1/leases").then();
    }

    static ValidatableResponse fencing(String taskId, String phase, long token) {
        return given().auth().oauth2(TOKENS.service()).contentType("application/json")
                .body(Map.of("taskId", taskId, "phase", phase, "fencingToken", token))
                .when().post("/v1/fencing/check").then();
    }

    static ValidatableResponse createTask(String agentId, String taskId) {
        return given().auth().oauth2(agent(agentId)).contentType("application/json")
                .body(Map.of("taskId", taskId, "title", "Task " + taskId))
                .when().post("/v1/tasks").then();
    }

    static Map<String, Object> evidence(String kind) {
        return Map.of("kind", kind, "uri", "s3://evidence/" + kind, "sha256", "a".repeat(64));
    }

    static ValidatableResponse transition(String agentId, String taskId, String to, long token, List<String> kinds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to", to);
        body.put("fencingToken", token);
        body.put("evidence", kinds.stream().map(LeaseApi::evidence).toList());
        return given().auth().oauth2(agent(agentId)).contentType("application/json").body(body)
                .when().post("/v1/tasks/" + taskId + "/transitions").then();
    }
}

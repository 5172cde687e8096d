package io.trustplane.telemetry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.restassured.response.Response;
import io.trustplane.telemetry.service.AlertService;
import io.trustplane.telemetry.domain.alert.NewAlert;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.testing.Concurrently;
import io.trustplane.testing.TestKeys;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code Idempotency-Key} on telemetry's creating routes: a replay returns the first answer, a reuse is a 409; an
 * alert action holds its key in its own transaction, so duplicates sent at once move the alert once.
 */
@QuarkusTest
class IdempotencyResourceTest {

    @Inject
    AlertService alerts;

    private static final String RULE = """
            {"id":"%s","name":"%s","kind":"THRESHOLD","counter":"role_gate_denied","windowSeconds":300,
             "threshold":50,"severity":"HIGH"}""";

    private static RequestSpecification admin(String key) {
        return given().auth().oauth2(TestKeys.tokens().admin()).contentType("application/json")
                .header("Idempotency-Key", key);
    }

    @Test
    void aReplayReturnsTheFirstAnswerAndAReusedKeyIsAConflict() {
        String id = "idem-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String first = admin(key).body(RULE.formatted(id, "Denials")).post("/v1/alert-rules").then().statusCode(201)
                .header("Idempotent-Replayed", nullValue()).extract().asString();
        // without the key the same create is refused (the rule exists); with it the first answer comes back
        String replay = admin(key).body(RULE.formatted(id, "Denials")).post("/v1/alert-rules").then().statusCode(201)
                .header("Idempotent-Replayed", "true").contentType("application/json").extract().asString();
        assertThat(replay).isEqualTo(first);
        admin(UUID.randomUUID().toString()).body(RULE.formatted(id, "Denials")).post("/v1/alert-rules").then()
                .statusCode(409).body("code", equalTo("rule_exists"));
        admin(key).body(RULE.formatted(id, "Other name")).post("/v1/alert-rules").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("idempotency_key_reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        admin("").body(RULE.formatted(id, "Denials")).post("/v1/alert-rules").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("Idempotency-Key"));
        admin("k".repeat(256)).body(RULE.formatted(id, "Denials")).post("/v1/alert-rules").then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void aBlockingCreateReplaysToo() {
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"idem\",\"kind\":\"WEBHOOK\",\"url\":\"http://localhost:9/hook\","
                + "\"secret\":\"0123456789abcdef0123\"}";
        String id = admin(key).body(body).post("/v1/subscriptions").then().statusCode(201).extract().path("id");
        try {
            admin(key).body(body).post("/v1/subscriptions").then().statusCode(201)
                    .header("Idempotent-Replayed", "true").body("id", equalTo(id));
            admin(key).body(body.replace("idem", "other")).post("/v1/subscriptions").then().statusCode(409)
                    .body("code", equalTo("idempotency_key_reused"));
        } finally {
            given().auth().oauth2(TestKeys.tokens().admin()).delete("/v1/subscriptions/" + id).then().statusCode(204);
        }
    }

    @Test
    void ingestHonoursTheKey() {
        String agent = "idem-agent-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String batch = "{\"counters\":[{\"id\":\"" + UUID.randomUUID() + "\",\"name\":\"idem_test\",\"value\":1}]}";
        int status = given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType("application/json")
                .header("Idempotency-Key", key).body(batch).post("/v1/events").then().extract().statusCode();
        assertThat(status).isBetween(200, 299);
        given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType("application/json")
                .header("Idempotency-Key", key).body(batch).post("/v1/events").then().statusCode(status)
                .header("Idempotent-Replayed", "true");
        given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType("application/json")
                .header("Idempotency-Key", key).body(batch.replace("idem_test", "idem_other")).post("/v1/events")
                .then().statusCode(409).body("code", equalTo("idempotency_key_reused"));
    }

    @Test
    void concurrentDuplicatesOfAnAlertActionMoveItOnceAndAllGetItsAnswer() throws Exception {
        String agent = "idem-agent-" + UUID.randomUUID().toString().substring(0, 8);
        String id = alerts.raise(new NewAlert("idem:" + agent, "RULE", "IDEMPOTENCY", Severity.LOW, agent,
                "raced acknowledgement", Map.of())).await().atMost(Duration.ofSeconds(10)).alert().id();
        String key = UUID.randomUUID().toString();
        List<Response> answers = Concurrently.run(8, () -> given().auth().oauth2(TestKeys.tokens().operator())
                .contentType("application/json").header("Idempotency-Key", key)
                .body(Map.of("status", "INVESTIGATING", "reason", "looking")).patch("/v1/alerts/" + id));
        assertThat(answers).extracting(Response::statusCode).containsOnly(200);
        assertThat(answers).extracting(Response::asString).containsOnly(answers.get(0).asString());
        assertThat(answers).extracting(r -> r.header("Idempotent-Replayed")).containsOnlyOnce((String) null);
        // one move: ACTIVE then INVESTIGATING in the history, once (a second run would have been a 409)
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/alerts/" + id).then().statusCode(200)
                .body("status", equalTo("INVESTIGATING")).body("history.findAll { it.to == 'INVESTIGATING' }.size()",
                        equalTo(1));
    }
}

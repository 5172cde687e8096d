package io.trustplane.telemetry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.testing.TestKeys;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Admin CRUD of alert rules, with every refusal as problem+json naming the field. */
@QuarkusTest
class AlertRulesResourceTest {

    private static final String RULE = """
            {"id":"%s","name":"Denials","kind":"%s","counter":"role_gate_denied","denominator":%s,
             "windowSeconds":%s,"threshold":%s,"severity":"%s"}""";

    @Test
    void adminsCreateUpdateAndDeleteCustomRules() {
        String admin = TestKeys.tokens().admin();
        given().auth().oauth2(admin).contentType("application/json")
                .body(RULE.formatted("denials-burst", "THRESHOLD", "null", 300, 50, "HIGH"))
                .post("/v1/alert-rules").then().statusCode(201).body("builtin", equalTo(false)).body("version", equalTo(1));
        given().auth().oauth2(admin).contentType("application/json")
                .body(RULE.formatted("denials-burst", "THRESHOLD", "null", 300, 50, "HIGH"))
                .post("/v1/alert-rules").then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(admin).contentType("application/json")
                .body(RULE.formatted("denials-burst", "THRESHOLD", "null", 600, 80, "CRITICAL"))
                .put("/v1/alert-rules/denials-burst").then().statusCode(200)
                .body("threshold", equalTo(80.0f)).body("version", equalTo(2));
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/alert-rules/denials-burst").then()
                .statusCode(200).body("severity", equalTo("CRITICAL"));
        given().auth().oauth2(admin).delete("/v1/alert-rules/denials-burst").then().statusCode(204);
        given().auth().oauth2(admin).get("/v1/alert-rules/denials-burst").then().statusCode(404);
    }

    @Test
    void refusalsNameTheField() {
        String admin = TestKeys.tokens().admin();
        post(admin, RULE.formatted("r1", "RATIO", "null", 300, 0.1, "HIGH"), 422, "denominator");
        post(admin, RULE.formatted("r2", "RATIO", "\"phase_transition_attempts\"", 300, 5, "HIGH"), 422, "threshold");
        post(admin, RULE.formatted("r3", "THRESHOLD", "null", 5, 1, "HIGH"), 400, "windowSeconds");
        post(admin, RULE.formatted("r4", "SOMETIMES", "null", 300, 1, "HIGH"), 400, "kind");
        post(admin, RULE.formatted("r5", "THRESHOLD", "null", 300, 1, "SEVERE"), 400, "severity");
        post(admin, RULE.formatted("bad id!", "THRESHOLD", "null", 300, 1, "HIGH"), 400, "id");
        given().auth().oauth2(TestKeys.tokens().operator()).contentType("application/json")
                .body(RULE.formatted("r6", "THRESHOLD", "null", 300, 1, "HIGH"))
                .post("/v1/alert-rules").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(admin).delete("/v1/alert-rules/lease-contention").then().statusCode(409)
                .body("code", equalTo("builtin_rule"));
        given().auth().oauth2(admin).get("/v1/alert-rules/r1").then().statusCode(404); // nothing stored
    }

    private void post(String token, String body, int status, String field) {
        given().auth().oauth2(token).contentType("application/json").body(body).post("/v1/alert-rules").then()
                .statusCode(status).contentType("application/problem+json").body("errors[0].field", equalTo(field));
    }
}

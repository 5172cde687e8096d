package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;

/** Agents: registration, tiers and regulatory caps, suspension, score history, truth scoring, access and bad input. */
@QuarkusTest
class AgentResourceTest extends GateTestSupport {

    @Test
    void registrationDerivesTierAndAppliesRegulatoryCaps() {
        String id = unique("reg");
        register(id, 950, "EU_AI_ACT").body("trustScore", equalTo(950)).body("effectiveScore", equalTo(699))
                .body("tier", equalTo("TRUSTED")).body("tierAlias", equalTo("T3"))
                .body("attributes.team", equalTo("tests")).body("version", equalTo(1));
        register(id, 950, "NIST_AI_RMF").body("effectiveScore", equalTo(899)).body("tier", equalTo("PRIVILEGED"));
        register(id, 950, "ISO_42001").body("effectiveScore", equalTo(799)).body("tier", equalTo("TRUSTED"));
        register(id, 150).body("tier", equalTo("UNKNOWN")).body("version", equalTo(4));
        as(agent(id)).get("/v1/agents/" + id).then().statusCode(200).body("tier", equalTo("UNKNOWN"));
        // same score again: no history row; every change: one row
        register(id, 150);
        as(agent(id)).get("/v1/agents/" + id + "/history").then().statusCode(200)
                .body("size()", equalTo(2)).body("[0].newScore", equalTo(150)).body("[0].oldScore", equalTo(950))
                .body("[1].oldScore", equalTo(null)).body("[1].cause", equalTo("REGISTRATION"));
    }

    @Test
    void suspendAndReinstate() {
        String id = unique("sus");
        register(id, 500);
        as(operator()).body(Map.of("reason", "investigation")).post("/v1/agents/" + id + "/suspend").then()
                .statusCode(200).body("suspended", equalTo(true)).body("suspendedReason", equalTo("investigation"));
        as(operator()).post("/v1/agents/" + id + "/reinstate").then().statusCode(200).body("suspended", equalTo(false));
        as(operator()).body(Map.of("reason", "x")).post("/v1/agents/" + unique("none") + "/suspend").then().statusCode(404);
        as(agent(id)).body(Map.of("reason", "x")).post("/v1/agents/" + id + "/suspend").then().statusCode(403);
    }

    @Test
    void verifiedOutcomesMoveTheTrustScore() {
        String id = unique("truth");
        register(id, 500);
        as(service()).body(Map.of("claim", "tests pass", "confirmed", true)).post("/v1/agents/" + id + "/outcomes")
                .then().statusCode(200).body("truthShare", equalTo(1.0f)).body("scoreDelta", equalTo(10))
                .body("agent.trustScore", equalTo(510));
        as(service()).body(Map.of("claim", "deployed", "confirmed", false)).post("/v1/agents/" + id + "/outcomes")
                .then().statusCode(200).body("truthShare", lessThan(0.5f)).body("scoreDelta", lessThan(0));
        as(operator()).get("/v1/agents/" + id + "/history").then()
                .body("cause", hasItem("TRUTH_SCORE")).body("size()", equalTo(3));
        as(agent(id)).body(Map.of("claim", "I am great", "confirmed", true)).post("/v1/agents/" + id + "/outcomes")
                .then().statusCode(403);
        as(service()).body(Map.of("claim", "x", "confirmed", true)).post("/v1/agents/" + unique("nobody") + "/outcomes")
                .then().statusCode(404);
        as(service()).body(Map.of("claim", "")).post("/v1/agents/" + id + "/outcomes").then().statusCode(400)
                .body("errors.field", hasItem("claim")).body("errors.field", hasItem("confirmed"));
        as(operator()).get("/v1/agents/" + id).then().body("trustScore", greaterThan(490));
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerWithoutRunningTwice() {
        String id = unique("idem");
        register(id, 500);
        String key = unique("outcome");
        String first = as(service()).header("Idempotency-Key", key).body(Map.of("claim", "tests pass", "confirmed", true))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(200).body("agent.trustScore", equalTo(510))
                .extract().asString();
        String replay = as(service()).header("Idempotency-Key", key).body(Map.of("claim", "tests pass", "confirmed", true))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(200)
                .header("Idempotent-Replayed", "true").extract().asString();
        org.assertj.core.api.Assertions.assertThat(replay).isEqualTo(first);
        as(operator()).get("/v1/agents/" + id).then().body("trustScore", equalTo(510));
        // the same key with another body, or on another route, is a conflict naming the header
        as(service()).header("Idempotency-Key", key).body(Map.of("claim", "tests fail", "confirmed", false))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused")).body("errors[0].field", equalTo("Idempotency-Key"));
        as(service()).header("Idempotency-Key", key).body(Map.of("reason", "x"))
                .post("/v1/agents/" + id + "/suspend").then().statusCode(409)
                .body("code", equalTo("idempotency_key_reused"));
        // another caller's identical key is its own
        as(operator()).header("Idempotency-Key", key).body(Map.of("claim", "tests pass", "confirmed", true))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(200)
                .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
        // another key runs again
        as(service()).header("Idempotency-Key", unique("outcome")).body(Map.of("claim", "tests pass", "confirmed", true))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(200).body("agent.trustScore", greaterThan(520));
        as(service()).header("Idempotency-Key", "bad key!").body(Map.of("claim", "x", "confirmed", true))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"));
        // a refused first attempt is not remembered: the retry runs
        String k2 = unique("k2");
        as(service()).header("Idempotency-Key", k2).body(Map.of("claim", "")).post("/v1/agents/" + id + "/outcomes")
                .then().statusCode(400);
        as(service()).header("Idempotency-Key", k2).body(Map.of("claim", "x", "confirmed", true))
                .post("/v1/agents/" + id + "/outcomes").then().statusCode(200);
    }

    @Test
    void badInputAndAccess() {
        String id = unique("abad");
        as(operator()).body(Map.of("trustScore", 1001)).put("/v1/agents/" + id).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("trustScore"));
        as(operator()).body(Map.of("trustScore", -1)).put("/v1/agents/" + id).then().statusCode(400);
        as(operator()).body(Map.of()).put("/v1/agents/" + id).then().statusCode(400).body("errors.field", hasItem("trustScore"));
        as(operator()).body(Map.of("trustScore", 10, "frameworks", List.of("GDPR"))).put("/v1/agents/" + id).then()
                .statusCode(400).body("errors[0].field", equalTo("frameworks[0]"));
        as(operator()).body(Map.of("trustScore", 10)).put("/v1/agents/bad%20id").then().statusCode(400)
                .contentType("application/problem+json");
        // nothing was stored by the refused requests
        as(operator()).get("/v1/agents/" + id).then().statusCode(404).body("code", equalTo("not_found"));
        as(agent(id)).body(Map.of("trustScore", 1000)).put("/v1/agents/" + id).then().statusCode(403);
        String other = unique("other");
        register(other, 500);
        as(agent(id)).get("/v1/agents/" + other).then().statusCode(403).contentType("application/problem+json");
        as(agent(id)).get("/v1/agents/" + other + "/history").then().statusCode(403);
    }
}

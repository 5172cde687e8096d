package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.Streams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Quorum escalations with the default n=4, f=1 (validators validator-1..4): three approvals decide, duplicate
 * votes and non-validators are refused, operators decide directly, and the timeout (6 s in the test profile)
 * leaves the decision to an operator.
 */
@QuarkusTest
class EscalationResourceTest extends GateTestSupport {

    /** Opens an escalation: a BASIC agent asking for DATA_ANALYST (VERIFIED) is one tier short. */
    static String openEscalation() {
        String id = unique("esc");
        register(id, 300);
        return as(agent(id)).body(Map.of("agentId", id, "role", "DATA_ANALYST",
                        "context", Map.of("resourceId", "dataset_001", "action", "read")))
                .post("/v1/role-gates/evaluate").then().statusCode(200)
                .body("decision", equalTo("ESCALATE")).extract().path("escalationId");
    }

    static io.restassured.response.ValidatableResponse vote(String validator, String escalationId, boolean approve) {
        return as(agent(validator)).body(Map.of("approve", approve, "reason", "checked"))
                .post("/v1/escalations/" + escalationId + "/votes").then();
    }

    @Test
    void fourValidatorsToleratingOneNeedThreeApprovals() {
        String esc = openEscalation();
        as(operator()).get("/v1/escalations/" + esc).then().statusCode(200).body("status", equalTo("OPEN"))
                .body("n", equalTo(4)).body("f", equalTo(1)).body("approvalsNeeded", equalTo(3));
        vote("validator-1", esc, true).statusCode(200).body("status", equalTo("OPEN")).body("approvals", equalTo(1));
        vote("validator-1", esc, true).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("duplicate_vote"));
        vote("agent-not-a-validator", esc, true).statusCode(403).contentType("application/problem+json");
        as(operator()).body(Map.of("approve", true)).post("/v1/escalations/" + esc + "/votes").then().statusCode(403);
        vote("validator-2", esc, true).statusCode(200).body("status", equalTo("OPEN")).body("approvals", equalTo(2));
        vote("validator-3", esc, true).statusCode(200).body("status", equalTo("APPROVED"))
                .body("decision", equalTo("ALLOW")).body("decidedBy", equalTo("quorum")).body("approvals", equalTo(3))
                .body("votes.validatorId", hasItem("validator-3"));
        vote("validator-4", esc, true).statusCode(409).body("code", equalTo("escalation_closed"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(Streams.ANCHOR, esc)).anyMatch(e -> e.contains("\"escalation.decided\"")
                        && e.contains("\"APPROVED\"")));
    }

    @Test
    void twoRejectionsMakeApprovalImpossible() {
        String esc = openEscalation();
        vote("validator-1", esc, false).statusCode(200).body("status", equalTo("OPEN"));
        vote("validator-2", esc, true).statusCode(200).body("status", equalTo("OPEN"));
        vote("validator-3", esc, false).statusCode(200).body("status", equalTo("REJECTED"))
                .body("decision", equalTo("DENY"));
    }

    @Test
    void anOperatorDecidesAndTheTimeoutLeavesItToAnOperator() {
        String esc = openEscalation();
        as(operator()).body(Map.of("decision", "DENY", "note", "not today")).post("/v1/escalations/" + esc + "/decision")
                .then().statusCode(200).body("status", equalTo("REJECTED")).body("decidedBy", equalTo("operator-1"));
        as(operator()).body(Map.of("decision", "ALLOW")).post("/v1/escalations/" + esc + "/decision")
                .then().statusCode(409).body("code", equalTo("escalation_closed"));

        String late = openEscalation();
        vote("validator-1", late, true).statusCode(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                as(operator()).get("/v1/escalations/" + late).then().statusCode(200)
                        .body("status", equalTo("AWAITING_OPERATOR")));
        vote("validator-2", late, true).statusCode(409).body("code", equalTo("escalation_closed"));
        as(admin()).body(Map.of("decision", "ALLOW")).post("/v1/escalations/" + late + "/decision")
                .then().statusCode(200).body("status", equalTo("APPROVED")).body("decision", equalTo("ALLOW"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(Streams.EVENTS, late)).anyMatch(e -> e.contains("\"escalation.decided\"")));
    }

    @Test
    void badInputAndAccess() {
        String esc = openEscalation();
        as(agent("validator-1")).body(Map.of("reason", "x")).post("/v1/escalations/" + esc + "/votes").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("approve"));
        as(agent("validator-1")).body(Map.of("approve", true)).post("/v1/escalations/not-a-uuid/votes").then()
                .statusCode(400).body("errors[0].field", equalTo("id"));
        as(agent("validator-1")).body(Map.of("approve", true))
                .post("/v1/escalations/" + java.util.UUID.randomUUID() + "/votes").then().statusCode(404);
        as(operator()).body(Map.of("decision", "ESCALATE")).post("/v1/escalations/" + esc + "/decision").then()
                .statusCode(400).body("errors.field", hasItem("decision"));
        as(agent("validator-1")).body(Map.of("decision", "ALLOW")).post("/v1/escalations/" + esc + "/decision")
                .then().statusCode(403);
        as(agent("someone-else")).get("/v1/escalations/" + esc).then().statusCode(403);
    }
}

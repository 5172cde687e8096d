package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.Streams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Containment: an operator stops an agent with one call; everything gate decides for it is DENY, its approvals are
 * revoked and refused, it is pinned to control, the anchored record is written; containing again does nothing twice;
 * lifting restores decisions and says what it cannot undo. lease-service is not running here, so the lease step is
 * reported as failed (the e2e ContainmentTest covers it against the real lease-service).
 */
@QuarkusTest
class ContainmentResourceTest extends GateTestSupport {

    private static Map<String, Object> evaluation(String agentId, String role) {
        return Map.of("agentId", agentId, "role", role, "context", Map.of("resourceId", "svc/api", "action", "read"));
    }

    private static io.restassured.response.ValidatableResponse evaluate(String agentId, String role) {
        return as(agent(agentId)).body(evaluation(agentId, role)).post("/v1/role-gates/evaluate").then().statusCode(200);
    }

    private static Map<String, Object> toolCall(String agentId, String tool, String role) {
        return new java.util.LinkedHashMap<>(Map.of("agentId", agentId, "tool", tool, "arguments", Map.of("env", "prod"),
                "role", role));
    }

    @Test
    void badRequestsAndCallersOtherThanOperatorsAreRefused() {
        String id = unique("ct-input");
        register(id, 500);
        String path = "/v1/agents/" + id + "/containment";
        as(operator()).body(Map.of()).post(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("reason"));
        as(operator()).body(Map.of("reason", "")).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        as(operator()).body(Map.of("reason", "x".repeat(501))).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        as(operator()).body(Map.of("reason", "")).post(path + "/lift").then().statusCode(400)
                .body("errors.field", hasItem("reason"));
        io.restassured.RestAssured.given().contentType("application/json").body(Map.of("reason", "no token"))
                .post(path).then().statusCode(401);
        as(agent(id)).body(Map.of("reason", "myself")).post(path).then().statusCode(403);
        as(agent(unique("ct-other"))).body(Map.of("reason", "a rival")).post(path).then().statusCode(403);
        as(service()).body(Map.of("reason", "a service")).post(path).then().statusCode(403);
        as(agent(id)).body(Map.of("reason", "myself")).post(path + "/lift").then().statusCode(403);
        as(operator()).body(Map.of("reason", "x")).post("/v1/agents/" + unique("ct-none") + "/containment").then()
                .statusCode(404).contentType("application/problem+json");
        // nothing of the refused calls contained the agent
        as(operator()).get("/v1/agents/" + id).then().statusCode(200).body("contained", equalTo(false))
                .body("containment", nullValue());
        evaluate(id, "OBSERVER").body("decision", equalTo("ALLOW"));
    }

    @Test
    void aContainedAgentIsDeniedEverythingUntilTheContainmentIsLifted() {
        String id = unique("ct-agent");
        register(id, 500); // VERIFIED: OBSERVER is allowed, DEPLOYER (TRUSTED) one tier short escalates
        String flag = unique("ct-flag");
        as(admin()).body(Map.of("flag", flag, "stages", List.of(100))).post("/v1/flags").then().statusCode(201);
        as(service()).queryParam("agentId", id).get("/v1/flags/" + flag).then().statusCode(200)
                .body("enabled", equalTo(true)).body("pinnedToControl", equalTo(false));
        evaluate(id, "OBSERVER").body("decision", equalTo("ALLOW"));
        // an approved tool call not used yet, and an escalation still open
        Map<String, Object> deploy = toolCall(id, "deploy", "DEPLOYER");
        String approved = as(agent(id)).body(deploy).post("/v1/tool-calls/decisions").then().statusCode(200)
                .body("decision", equalTo("ESCALATE")).extract().path("escalationId");
        as(operator()).body(Map.of("decision", "ALLOW", "note", "ok")).post("/v1/escalations/" + approved + "/decision")
                .then().statusCode(200);
        String open = evaluate(id, "DEPLOYER").body("decision", equalTo("ESCALATE")).extract().path("escalationId");

        as(operator()).body(Map.of("reason", "exfiltration suspected")).post("/v1/agents/" + id + "/containment")
                .then().statusCode(200).contentType("application/json")
                .body("agentId", equalTo(id)).body("contained", equalTo(true))
                .body("reason", equalTo("exfiltration suspected")).body("containedBy", equalTo("operator-1"))
                .body("containedAt", notNullValue()).body("approvalsRevoked", containsInAnyOrder(approved, open))
                .body("flagsPinned", hasItem(flag)).body("leasesReleased", empty())
                .body("alertRaised", equalTo(true)).body("eventId", notNullValue())
                .body("failedSteps.step", contains("leases"));

        evaluate(id, "OBSERVER").body("decision", equalTo("DENY")).body("layer", equalTo("KERNEL"))
                .body("ruleId", equalTo("kernel:contained"));
        as(agent(id)).body(Map.of("agentId", id, "resourceType", "API_CALLS", "requestedAmount", 1))
                .post("/v1/ceiling/check").then().statusCode(200).body("allowed", equalTo(false))
                .body("status", equalTo("VIOLATION"));
        as(agent(id)).body(toolCall(id, "read_file", "OBSERVER")).post("/v1/tool-calls/decisions").then()
                .statusCode(200).body("decision", equalTo("DENY")).body("ruleId", equalTo("kernel:contained"));
        Map<String, Object> withApproval = toolCall(id, "deploy", "DEPLOYER");
        withApproval.put("approvalId", approved);
        as(agent(id)).body(withApproval).post("/v1/tool-calls/decisions").then().statusCode(200)
                .body("decision", equalTo("DENY")).body("ruleId", equalTo("kernel:contained"));
        for (String escalation : List.of(approved, open)) {
            as(operator()).get("/v1/escalations/" + escalation).then().statusCode(200)
                    .body("status", equalTo("REJECTED"));
        }
        as(service()).queryParam("agentId", id).get("/v1/flags/" + flag).then().statusCode(200)
                .body("enabled", equalTo(false)).body("pinnedToControl", equalTo(true));
        as(agent(id)).get("/v1/agents/" + id).then().statusCode(200).body("contained", equalTo(true))
                .body("containment.reason", equalTo("exfiltration suspected"))
                .body("containment.containedBy", equalTo("operator-1"));
        as(agent(id)).get("/v1/agents").then().statusCode(200).body("items.contained", contains(true));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events(Streams.EVENTS, "\"subject\":\"" + id + "\""))
                    .filteredOn(e -> e.contains("\"agent.contained\"")).singleElement()
                    .satisfies(e -> assertThat(e).contains(approved, open, flag, "exfiltration suspected"));
            assertThat(events(Streams.ANCHOR, "\"subject\":\"" + id + "\""))
                    .anyMatch(e -> e.contains("\"agent.contained\""));
        });

        // containing again does nothing twice: the first containment stands, and no approval is revoked again
        as(operator()).body(Map.of("reason", "a second opinion")).post("/v1/agents/" + id + "/containment")
                .then().statusCode(200).body("reason", equalTo("exfiltration suspected"))
                .body("approvalsRevoked", containsInAnyOrder(approved, open))
                .body("failedSteps.step", contains("leases"));

        as(operator()).body(Map.of("reason", "cleared by review")).post("/v1/agents/" + id + "/containment/lift")
                .then().statusCode(200).body("agentId", equalTo(id)).body("contained", equalTo(false))
                .body("undone.size()", equalTo(2)).body("notUndone.what", hasItem(startsWith("approvals revoked")))
                .body("notUndone.why", everyItem(notNullValue()));
        evaluate(id, "OBSERVER").body("decision", equalTo("ALLOW"));
        as(service()).queryParam("agentId", id).get("/v1/flags/" + flag).then().statusCode(200)
                .body("enabled", equalTo(true)).body("pinnedToControl", equalTo(false));
        // a revoked approval stays revoked
        as(agent(id)).body(withApproval).post("/v1/tool-calls/decisions").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("approval_rejected"));
        as(operator()).get("/v1/agents/" + id).then().body("contained", equalTo(false)).body("containment", nullValue());
        as(operator()).body(Map.of("reason", "again")).post("/v1/agents/" + id + "/containment/lift").then()
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("agent_not_contained"))
                .body("contained", equalTo(false));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(Streams.ANCHOR,
                "\"subject\":\"" + id + "\"")).anyMatch(e -> e.contains("\"agent.containment_lifted\"")));
    }
}

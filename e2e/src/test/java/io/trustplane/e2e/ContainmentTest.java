package io.trustplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.path.json.JsonPath;
import io.trustplane.testing.log.C2spNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.trustplane.e2e.Flows.awaitAlert;
import static io.trustplane.e2e.Flows.evidence;
import static io.trustplane.e2e.Flows.startTask;
import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Containment across the services: one operator call on gate-service and the agent's evaluations, ceiling checks
 * and approved tool call are denied, lease-service no longer takes its old fencing token (fencing/check and a
 * transition), telemetry-service raises a HIGH CONTAINMENT alert, and provenance-service holds the anchored record
 * of everything done with an inclusion proof that verifies against the signed checkpoint (the testing module's own
 * RFC 9162 code). Lifting it restores decisions.
 */
@ExtendWith(E2e.Extension.class)
class ContainmentTest {

    private final E2e suite;

    ContainmentTest(E2e suite) {
        this.suite = suite;
    }

    private String evaluate(String agent) {
        return suite.as("gate", suite.agent(agent)).body(Map.of("agentId", agent, "role", "OBSERVER", "context",
                        Map.of("resourceId", "repo/main", "action", "read")))
                .post("/v1/role-gates/evaluate").then().statusCode(200).extract().path("decision");
    }

    private JsonPath fencing(String task, long token) {
        return JsonPath.from(suite.as("lease", suite.operator()).body(Map.of("taskId", task, "phase", "STRATEGIZE",
                "fencingToken", token)).post("/v1/fencing/check").then().statusCode(200).extract().asString());
    }

    private Map<String, Object> deploy(String agent, String approvalId) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("agentId", agent, "tool", "deploy", "role", "DEPLOYER",
                "arguments", Map.of("env", "prod")));
        if (approvalId != null) {
            body.put("approvalId", approvalId);
        }
        return body;
    }

    @Test
    void oneOperatorCallStopsAnAgentAcrossTheServicesAndLiftingRestoresItsDecisions() throws Exception {
        String agent = unique("contained");
        String task = unique("T-contain");
        suite.as("gate", suite.operator()).body(Map.of("trustScore", 500)).put("/v1/agents/" + agent).then()
                .statusCode(200);
        long token = startTask(suite, agent, task);
        assertThat(fencing(task, token).getBoolean("current")).isTrue();
        // VERIFIED asking as DEPLOYER (TRUSTED) escalates; an operator approves, the agent has not used it yet
        String approval = suite.as("gate", suite.agent(agent)).body(deploy(agent, null))
                .post("/v1/tool-calls/decisions").then().statusCode(200).extract().path("escalationId");
        assertThat(approval).isNotNull();
        suite.as("gate", suite.operator()).body(Map.of("decision", "ALLOW", "note", "release window"))
                .post("/v1/escalations/" + approval + "/decision").then().statusCode(200);
        assertThat(evaluate(agent)).isEqualTo("ALLOW");

        JsonPath contained = JsonPath.from(suite.as("gate", suite.operator())
                .body(Map.of("reason", "credentials leaked in a tool result"))
                .post("/v1/agents/" + agent + "/containment").then().statusCode(200).extract().asString());
        assertThat(contained.getBoolean("contained")).isTrue();
        assertThat(contained.getList("failedSteps")).isEmpty();
        assertThat(contained.getList("leasesReleased")).hasSize(1);
        assertThat(contained.getList("approvalsRevoked", String.class)).containsExactly(approval);
        String eventId = contained.getString("eventId");
        String leaseId = contained.getString("leasesReleased[0]");

        // gate: everything it is asked for the agent is DENY, the approval included
        assertThat(evaluate(agent)).isEqualTo("DENY");
        assertThat(suite.as("gate", suite.agent(agent)).body(Map.of("agentId", agent, "resourceType", "API_CALLS",
                "requestedAmount", 1)).post("/v1/ceiling/check").then().statusCode(200).extract()
                .<Boolean>path("allowed")).isFalse();
        Map<String, Object> refused = suite.as("gate", suite.agent(agent)).body(deploy(agent, approval))
                .post("/v1/tool-calls/decisions").then().statusCode(200).extract().as(Map.class);
        assertThat(refused).containsEntry("decision", "DENY").containsEntry("ruleId", "kernel:contained");
        // lease: the old fencing token is no longer current, and a write guarded by it is refused
        JsonPath check = fencing(task, token);
        assertThat(check.getBoolean("current")).isFalse();
        assertThat(check.getString("holder")).isNull();
        suite.as("lease", suite.agent(agent)).body(Map.of("to", "SPEC", "fencingToken", token, "evidence",
                        List.of(evidence("strategy")))).post("/v1/tasks/" + task + "/transitions").then()
                .statusCode(409).contentType("application/problem+json");
        assertThat(suite.as("lease", suite.operator()).get("/v1/leases/" + leaseId).then().statusCode(200).extract()
                .<String>path("status")).isEqualTo("FORCE_RELEASED");
        // lease: and no new lease either, on this task or another
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", task, "phase", "STRATEGIZE"))
                .post("/v1/leases").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("holder_contained"));
        // telemetry: a HIGH alert
        Map<String, Object> alert = awaitAlert(suite, "CONTAINMENT", agent);
        assertThat(alert.get("severity")).isEqualTo("HIGH");

        // provenance: the record of everything done, anchored by gate-service, provably in the signed log
        await().atMost(Duration.ofSeconds(60)).until(() -> Anchors.of(suite, agent, "agent.contained").size() == 1);
        JsonNode record = Anchors.of(suite, agent, "agent.contained").get(0);
        JsonNode leaf = Anchors.signedLeaf(record);
        assertThat(leaf.at("/metadata/submitter").asText()).isEqualTo("gate-service");
        assertThat(leaf.at("/metadata/event/id").asText()).isEqualTo(eventId);
        assertThat(leaf.at("/metadata/event/data/reason").asText()).isEqualTo("credentials leaked in a tool result");
        assertThat(leaf.at("/metadata/event/data/leasesReleased/0").asText()).isEqualTo(leaseId);
        assertThat(leaf.at("/metadata/event/data/approvalsRevoked/0").asText()).isEqualTo(approval);
        C2spNote.Checkpoint head = await().atMost(Duration.ofSeconds(30)).until(() -> Anchors.head(suite),
                h -> h.size() > record.get("leafIndex").asLong());
        Anchors.assertIncluded(suite, record, head, "the containment record");

        // a second call finds the containment complete: the same record, nothing done again
        assertThat(suite.as("gate", suite.operator()).body(Map.of("reason", "again"))
                .post("/v1/agents/" + agent + "/containment").then().statusCode(200).extract().<String>path("eventId"))
                .isEqualTo(eventId);

        JsonPath lifted = JsonPath.from(suite.as("gate", suite.operator()).body(Map.of("reason", "keys rotated"))
                .post("/v1/agents/" + agent + "/containment/lift").then().statusCode(200).extract().asString());
        assertThat(lifted.getBoolean("contained")).isFalse();
        assertThat(lifted.getList("undone", String.class))
                .contains("lease-service lets the agent acquire leases again");
        assertThat(lifted.getList("notUndone.what", String.class)).anyMatch(w -> w.contains(leaseId))
                .anyMatch(w -> w.contains(approval));
        assertThat(evaluate(agent)).isEqualTo("ALLOW");
        // the old token stays stale; the agent takes a new lease to go on
        assertThat(fencing(task, token).getBoolean("current")).isFalse();
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", task, "phase", "STRATEGIZE"))
                .post("/v1/leases").then().statusCode(201);
    }
}

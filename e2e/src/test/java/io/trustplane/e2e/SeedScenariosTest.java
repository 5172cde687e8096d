package io.trustplane.e2e;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.trustplane.e2e.Flows.awaitAlert;
import static io.trustplane.e2e.Flows.startTask;
import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Seed scenarios driven through the producing service, asserted in telemetry-service: refused phase skips, a task
 * created past STRATEGIZE, high-severity prompt drift and a claimed-tier denial each raise their alert.
 */
@ExtendWith(E2e.Extension.class)
class SeedScenariosTest {

    private final E2e suite;

    SeedScenariosTest(E2e suite) {
        this.suite = suite;
    }

    private long globalCounter(String name) {
        return JsonPath.from(suite.as("telemetry", suite.operator()).queryParam("window", 300)
                .get("/v1/counters/" + name).then().statusCode(200).extract().asString()).getLong("value");
    }

    /** Waits until the rule's open alert saw at least {@code value} in its window. */
    private Map<String, Object> awaitRule(String ruleId, long value) {
        await().atMost(Flows.ALERT_WAIT).until(() -> Flows.openAlert(suite, ruleId, null)
                .filter(a -> ((Number) ((Map<?, ?>) a.get("details")).get("value")).longValue() >= value).isPresent());
        return Flows.openAlert(suite, ruleId, null).orElseThrow();
    }

    @Test
    void aRefusedPhaseSkipRaisesACriticalAlert() {
        String agent = unique("skipper");
        String task = unique("T-skip");
        long token = startTask(suite, agent, task);
        long before = globalCounter("phase_skips_attempted");
        suite.as("lease", suite.agent(agent)).body(Map.of("to", "PLAN", "fencingToken", token,
                        "evidence", List.of(Flows.evidence("strategy"))))
                .post("/v1/tasks/" + task + "/transitions").then().statusCode(409).body("code", equalTo("phase_skip"));
        Map<String, Object> alert = awaitRule("phase-skips-attempted", before + 1);
        assertThat(alert.get("severity")).isEqualTo("CRITICAL");
    }

    @Test
    void aTaskCreatedPastStrategizeRaisesTheStrategizeAlertAndCountsAsASkip() {
        String agent = unique("hasty");
        long skipsBefore = globalCounter("phase_skips_attempted");
        long strategizeBefore = globalCounter("strategize_skipped");
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", unique("T-hasty"), "title", "hasty",
                "startPhase", "PLAN")).post("/v1/tasks").then().statusCode(409).body("code", equalTo("strategize_skipped"));
        assertThat(awaitRule("strategize-skipped", strategizeBefore + 1).get("severity")).isEqualTo("CRITICAL");
        awaitRule("phase-skips-attempted", skipsBefore + 1);
    }

    @Test
    void highSeverityPromptDriftRaisesACriticalAlert() {
        String agent = unique("drifter");
        String task = unique("T-drift");
        startTask(suite, agent, task);
        long before = globalCounter("prompt_drift_detected.high");
        // only the holder of the attested phase's lease may attest (issue 18.5)
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", task, "phase", "VERIFY"))
                .post("/v1/leases").then().statusCode(201);
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", task, "phase", "VERIFY", "agentType", "coder",
                "modelVersion", "m-1")).post("/v1/attestations").then().statusCode(200).body("baseline", equalTo(true));
        suite.as("lease", suite.agent(agent)).body(Map.of("taskId", task, "phase", "VERIFY", "agentType", "coder",
                "modelVersion", "m-2")).post("/v1/attestations").then().statusCode(200)
                .body("severity", equalTo("HIGH"));
        assertThat(awaitRule("prompt-drift-high", before + 1).get("severity")).isEqualTo("CRITICAL");
    }

    @Test
    void aClaimedTierDenialRaisesABoundaryTestingAlertForThatAgent() {
        String agent = unique("claimer");
        suite.as("gate", suite.operator()).body(Map.of("trustScore", 300, "frameworks", List.of(),
                "attributes", Map.of("team", "e2e"))).put("/v1/agents/" + agent).then().statusCode(200);
        Map<String, Object> body = new HashMap<>();
        body.put("agentId", agent);
        body.put("role", "OBSERVER");
        body.put("tier", "TRUSTED");
        body.put("context", Map.of("resourceId", "d", "action", "read"));
        suite.as("gate", suite.agent(agent)).body(body).post("/v1/role-gates/evaluate").then().statusCode(200)
                .body("decision", equalTo("DENY")).body("ruleId", equalTo("kernel:claimed-tier"));
        Map<String, Object> alert = awaitAlert(suite, "BOUNDARY_TESTING", agent);
        assertThat(alert.get("agentId")).isEqualTo(agent);
    }
}

package io.trustplane.telemetry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.domain.alert.AlertStatus;
import io.trustplane.testing.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.exec;
import static io.trustplane.telemetry.TestSupport.publish;
import static io.trustplane.telemetry.TestSupport.publishMany;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

/** Seed 001's five built-in rules: each fires on the events that should trigger it and stays quiet just below. */
@QuarkusTest
class SeedRulesResourceTest extends AlertRuleTests {

    @BeforeEach
    void reset() {
        exec(pool, "DELETE FROM counter_buckets");
        exec(pool, "DELETE FROM alert_history WHERE alert_id IN (SELECT id FROM alerts WHERE source = 'RULE')");
        exec(pool, "DELETE FROM alerts WHERE source = 'RULE'");
    }

    @Test
    void allFiveSeedRulesAndTheStrategizeRuleAreBuiltIn() {
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/alert-rules").then().statusCode(200)
                .body("id", hasItems("prompt-drift-high", "evidence-gate-failure-rate", "lease-contention",
                        "validation-failure-rate", "strategize-skipped", "phase-skips-attempted"));
    }

    @Test
    void highSeverityPromptDriftFiresMediumDoesNot() {
        settle(publishMany(publisher, 3, "agent-1", drift("medium", "IMPLEMENT")));
        assertQuiet("prompt-drift-high");
        settle(List.of(publish(publisher, "agent-1", drift("high", "VERIFY"))));
        assertFired("prompt-drift-high");
    }

    @Test
    void evidenceGateFailureRateAboveOnePercentOverAnHour() {
        List<EventEnvelope> sent = new ArrayList<>(publishMany(publisher, 99, "agent-2",
                new DomainEvent.PhaseTransitioned("T-2", "SPEC", "PLAN", "FORWARD", 2, 2)));
        // a refused forward move is what lease-service emits for it: a validation failure and the gate failure
        sent.addAll(evidenceRefused("agent-2"));
        settle(sent); // 1 of 100 attempts = 1 %: not above
        assertQuiet("evidence-gate-failure-rate");
        settle(evidenceRefused("agent-2")); // 2 of 101
        Alert a = assertFired("evidence-gate-failure-rate");
        assertThat(a.details()).containsEntry("value", 2).containsEntry("denominatorValue", 101);
    }

    @Test
    void leaseContentionAboveTenPerMinute() {
        settle(publishMany(publisher, 10, "agent-3", new DomainEvent.LeaseContended("T-1", "PLAN", "agent-x")));
        assertQuiet("lease-contention");
        settle(List.of(publish(publisher, "agent-3", new DomainEvent.LeaseContended("T-1", "PLAN", "agent-x"))));
        assertFired("lease-contention");
    }

    @Test
    void validationFailuresAboveTwoPercentOverTenMinutes() {
        List<EventEnvelope> sent = new ArrayList<>(publishMany(publisher, 98, "agent-4",
                new DomainEvent.PhaseTransitioned("T-4", "THINK", "IMPLEMENT", "FORWARD", 4, 4)));
        sent.addAll(publishMany(publisher, 2, "agent-4",
                new DomainEvent.PhaseValidationFailed("T-4", "stale_fencing_token", "VERIFY", "REVIEW")));
        settle(sent); // 2 of 100 = 2 %: not above
        assertQuiet("validation-failure-rate");
        settle(List.of(publish(publisher, "agent-4",
                new DomainEvent.PhaseValidationFailed("T-4", "stale_fencing_token", "VERIFY", "REVIEW"))));
        assertFired("validation-failure-rate");
    }

    @Test
    void skippingStrategizeFiresOtherSkipsDoNot() {
        settle(List.of(publish(publisher, "agent-5", new DomainEvent.PhaseSkipAttempted("T-5", "SPEC", "IMPLEMENT"))));
        assertQuiet("strategize-skipped");
        // what lease-service emits for a task created past STRATEGIZE
        settle(List.of(publish(publisher, "agent-5", new DomainEvent.PhaseStrategizeSkipped("T-6", "NONE", "IMPLEMENT"))));
        assertFired("strategize-skipped");
    }

    @Test
    void anyPhaseSkipFiresAndLeaseServicesStrategizeEventFeedsBothSkipRules() {
        settle(List.of(publish(publisher, "agent-7", new DomainEvent.PhaseSkipAttempted("T-7", "SPEC", "IMPLEMENT"))));
        assertFired("phase-skips-attempted");
        assertQuiet("strategize-skipped");
        // what lease-service's WorkflowMetrics.skipAttempted emits for a task created past STRATEGIZE
        settle(List.of(publish(publisher, "agent-7", new DomainEvent.PhaseStrategizeSkipped("T-8", "NONE", "PLAN"))));
        assertFired("strategize-skipped");
        assertThat(given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/counters/phase_skips_attempted")
                .then().statusCode(200).extract().jsonPath().getLong("value")).isEqualTo(2);
    }

    @Test
    void anAgentsOwnJsonlCounterLinesStayInItsSeriesAndMoveNoGlobalRule() {
        String drift = line("prompt_drift_detected", 1, "\"severity\":\"high\"");
        String skip = line("strategize_skipped", 1, "\"taskId\":\"TEST\"");
        String attempts = line("phase_transition_attempts", 1_000_000, "\"taskId\":\"TEST\"");
        given().auth().oauth2(TestKeys.tokens().agent("agent-6")).contentType("application/x-ndjson")
                .body((drift + skip + attempts).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/events").then().statusCode(202);
        assertQuiet("prompt-drift-high");
        assertQuiet("strategize-skipped");
        assertThat(given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/counters/phase_transition_attempts")
                .then().statusCode(200).extract().jsonPath().getLong("value")).isZero();
        // ... but the agent's own series has them
        assertThat(given().auth().oauth2(TestKeys.tokens().agent("agent-6")).get("/v1/counters/phase_transition_attempts")
                .then().statusCode(200).extract().jsonPath().getLong("value")).isEqualTo(1_000_000);
    }

    @Test
    void aPipelinesJsonlCounterLinesWithTheServiceRoleFeedTheGlobalRule() {
        given().auth().oauth2(TestKeys.tokens().service()).contentType("application/x-ndjson")
                .queryParam("agentId", "agent-6")
                .body(line("prompt_drift_detected", 1, "\"severity\":\"high\"").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/events").then().statusCode(202);
        assertFired("prompt-drift-high");
    }

    private static String line(String name, long value, String tags) {
        return "{\"name\":\"" + name + "\",\"value\":" + value + ",\"timestamp\":\"" + java.time.OffsetDateTime.now()
                + "\",\"tags\":{" + tags + "}}\n";
    }

    private void assertQuiet(String ruleId) {
        assertThat(engine.evaluateAll()).doesNotContain(ruleId);
        assertThat(open("rule:" + ruleId)).isEmpty();
    }

    private Alert assertFired(String ruleId) {
        assertThat(engine.evaluateAll()).contains(ruleId);
        Alert a = open("rule:" + ruleId).orElseThrow();
        assertThat(a.status()).isEqualTo(AlertStatus.ACTIVE);
        assertThat(a.kind()).isEqualTo(ruleId);
        return a;
    }

    private static DomainEvent drift(String severity, String phase) {
        return new DomainEvent.PromptDriftDetected("T-1", phase, severity, "sha256:spec", "sha256:baseline", 1);
    }

    private List<EventEnvelope> evidenceRefused(String agent) {
        return List.of(publish(publisher, agent, new DomainEvent.PhaseValidationFailed("T-2", "evidence", "PLAN", "THINK")),
                publish(publisher, agent, new DomainEvent.EvidenceGateFailed("T-2", "PLAN", "THINK", List.of("plan"))));
    }
}

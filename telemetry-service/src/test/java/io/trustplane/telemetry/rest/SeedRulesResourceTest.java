package io.trustplane.telemetry.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.telemetry.repository.AlertRepository;
import io.trustplane.telemetry.service.Alert;
import io.trustplane.telemetry.service.AlertStatus;
import io.trustplane.telemetry.service.RuleEngine;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.awaitProcessed;
import static io.trustplane.telemetry.TestSupport.exec;
import static io.trustplane.telemetry.TestSupport.publish;
import static io.trustplane.telemetry.TestSupport.publishMany;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

/** Seed 001's five built-in rules: each fires on the events that should trigger it and stays quiet just below. */
@QuarkusTest
class SeedRulesResourceTest {

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    RuleEngine engine;
    @Inject
    AlertRepository alerts;

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
        settle(publishMany(publisher, 3, "prompt.drift_detected", "agent-1", Map.of("severity", "medium", "phase", "IMPLEMENT")));
        assertQuiet("prompt-drift-high");
        settle(List.of(publish(publisher, "prompt.drift_detected", "agent-1", Map.of("severity", "high", "phase", "VERIFY"))));
        assertFired("prompt-drift-high");
    }

    @Test
    void evidenceGateFailureRateAboveOnePercentOverAnHour() {
        List<EventEnvelope> sent = new ArrayList<>(publishMany(publisher, 99, "phase.transitioned", "agent-2",
                Map.of("from", "SPEC", "to", "PLAN", "kind", "FORWARD")));
        sent.addAll(publishMany(publisher, 50, "phase.transitioned", "agent-2",
                Map.of("from", "PLAN", "to", "SPEC", "kind", "BACKTRACK"))); // no evidence gate checked
        sent.add(publish(publisher, "evidence_gate.failed", "agent-2", Map.of("from", "PLAN", "to", "THINK")));
        sent.add(publish(publisher, "phase.validation_failed", "agent-2", Map.of("reason", "evidence")));
        settle(sent); // 1 of 100 gate checks = 1 %: not above
        assertQuiet("evidence-gate-failure-rate");
        settle(List.of(publish(publisher, "evidence_gate.failed", "agent-2", Map.of("from", "PLAN", "to", "THINK")),
                publish(publisher, "phase.validation_failed", "agent-2", Map.of("reason", "evidence")))); // 2 of 101
        Alert a = assertFired("evidence-gate-failure-rate");
        assertThat(a.details()).containsEntry("value", 2).containsEntry("denominatorValue", 101);
    }

    @Test
    void leaseContentionAboveTenPerMinute() {
        settle(publishMany(publisher, 10, "lease.contended", "agent-3", Map.of("taskId", "T-1", "phase", "PLAN")));
        assertQuiet("lease-contention");
        settle(List.of(publish(publisher, "lease.contended", "agent-3", Map.of("taskId", "T-1", "phase", "PLAN"))));
        assertFired("lease-contention");
    }

    @Test
    void validationFailuresAboveTwoPercentOverTenMinutes() {
        List<EventEnvelope> sent = new ArrayList<>(publishMany(publisher, 98, "phase.transitioned", "agent-4",
                Map.of("from", "THINK", "to", "IMPLEMENT")));
        sent.addAll(publishMany(publisher, 2, "phase.validation_failed", "agent-4", Map.of("phase", "VERIFY")));
        settle(sent); // 2 of 100 = 2 %: not above
        assertQuiet("validation-failure-rate");
        settle(List.of(publish(publisher, "phase.validation_failed", "agent-4", Map.of("phase", "VERIFY"))));
        assertFired("validation-failure-rate");
    }

    @Test
    void skippingStrategizeFiresOtherSkipsDoNot() {
        settle(List.of(publish(publisher, "phase.skip_attempted", "agent-5", Map.of("taskId", "T-5", "from", "SPEC",
                "to", "IMPLEMENT"))));
        assertQuiet("strategize-skipped");
        settle(List.of(publish(publisher, "phase.skip_attempted", "agent-5", Map.of("taskId", "T-6", "to", "IMPLEMENT"))));
        assertFired("strategize-skipped");
    }

    @Test
    void anyPhaseSkipFiresAndLeaseServicesStrategizeEventFeedsBothSkipRules() {
        settle(List.of(publish(publisher, "phase.skip_attempted", "agent-7", Map.of("taskId", "T-7", "from", "SPEC",
                "to", "IMPLEMENT"))));
        assertFired("phase-skips-attempted");
        assertQuiet("strategize-skipped");
        // what lease-service's WorkflowMetrics.skipAttempted emits for a task created past STRATEGIZE
        settle(List.of(publish(publisher, "phase.strategize_skipped", "agent-7", Map.of("taskId", "T-8", "from", "NONE",
                "to", "PLAN"))));
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

    private void settle(List<EventEnvelope> events) {
        awaitProcessed(pool, events);
    }

    private void assertQuiet(String ruleId) {
        assertThat(engine.evaluateAll()).doesNotContain(ruleId);
        assertThat(open(ruleId)).isEmpty();
    }

    private Alert assertFired(String ruleId) {
        assertThat(engine.evaluateAll()).contains(ruleId);
        Alert a = open(ruleId).orElseThrow();
        assertThat(a.status()).isEqualTo(AlertStatus.ACTIVE);
        assertThat(a.kind()).isEqualTo(ruleId);
        return a;
    }

    private Optional<Alert> open(String ruleId) {
        return alerts.findByFingerprint("rule:" + ruleId).await().atMost(Duration.ofSeconds(5))
                .filter(a -> a.status().isOpen());
    }
}

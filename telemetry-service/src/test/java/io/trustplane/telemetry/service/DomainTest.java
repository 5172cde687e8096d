package io.trustplane.telemetry.service;

import io.trustplane.common.events.EventEnvelope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DomainTest {

    @Test
    void thresholdAndRatioRulesFireStrictlyAbove() {
        AlertRule threshold = new AlertRule("r", "r", "", RuleKind.THRESHOLD, "c", null, 60, 10, 1, Severity.LOW,
                true, false, 1);
        assertThat(threshold.fires(10, 0)).isFalse();
        assertThat(threshold.fires(11, 0)).isTrue();
        AlertRule ratio = new AlertRule("q", "q", "", RuleKind.RATIO, "f", "a", 60, 0.01, 1, Severity.LOW,
                true, false, 1);
        assertThat(ratio.fires(1, 100)).isFalse();
        assertThat(ratio.fires(2, 101)).isTrue();
        assertThat(ratio.fires(5, 0)).isFalse();
    }

    @Test
    void lifecycleAllowsOnlyForwardMoves() {
        assertThat(AlertStatus.ACTIVE.canMoveTo(AlertStatus.INVESTIGATING)).isTrue();
        assertThat(AlertStatus.INVESTIGATING.canMoveTo(AlertStatus.RESOLVED)).isTrue();
        assertThat(AlertStatus.INVESTIGATING.canMoveTo(AlertStatus.FALSE_POSITIVE)).isTrue();
        assertThat(AlertStatus.RESOLVED.canMoveTo(AlertStatus.INVESTIGATING)).isFalse();
        assertThat(AlertStatus.FALSE_POSITIVE.canMoveTo(AlertStatus.ACTIVE)).isFalse();
        assertThat(AlertStatus.INVESTIGATING.canMoveTo(AlertStatus.ACTIVE)).isFalse();
    }

    @Test
    void interpreterMapsSeedEventsToCounters() {
        EventEffects drift = EventInterpreter.interpret(EventEnvelope.of("prompt.drift_detected", "lease-service",
                "agent-1", Map.of("severity", "high", "phase", "VERIFY")));
        assertThat(drift.increments()).extracting(EventEffects.Increment::name)
                .contains("prompt_drift_detected", "prompt_drift_detected.high");
        EventEffects skip = EventInterpreter.interpret(EventEnvelope.of("phase.skip_attempted", "lease-service",
                "agent-1", Map.of("to", "IMPLEMENT")));
        assertThat(skip.increments()).extracting(EventEffects.Increment::name).contains("strategize_skipped");
        EventEffects laterSkip = EventInterpreter.interpret(EventEnvelope.of("phase.skip_attempted", "lease-service",
                "agent-1", Map.of("from", "SPEC", "to", "IMPLEMENT")));
        assertThat(laterSkip.increments()).extracting(EventEffects.Increment::name)
                .contains("phase_skips_attempted").doesNotContain("strategize_skipped");
        EventEffects score = EventInterpreter.interpret(EventEnvelope.of("agent.score_changed", "gate-service",
                "agent-1", Map.of("score", 640, "tier", "TRUSTED")));
        assertThat(score.score()).contains(640.0);
        assertThat(score.tier()).contains("TRUSTED");
        EventEffects signal = EventInterpreter.interpret(EventEnvelope.of("gaming.signal", "gate-service",
                "agent-1", Map.of("signal", "BOUNDARY_TESTING")));
        assertThat(signal.gamingSignal()).hasValueSatisfying(g -> assertThat(g.type()).isEqualTo(GamingType.BOUNDARY_TESTING));
    }

    @Test
    void counterLinesDeriveSeveritySeriesAndAttempts() {
        CounterLine drift = new CounterLine(null, "a", "prompt_drift_detected", 1, null, Map.of("severity", "high"));
        assertThat(drift.derivedNames()).containsExactly("prompt_drift_detected", "prompt_drift_detected.high");
        CounterLine gate = new CounterLine(null, "a", "evidence_gate_failed", 1, null, Map.of());
        assertThat(gate.derivedNames()).containsExactly("evidence_gate_failed", "phase_transition_attempts", "evidence_gate_checked");
    }

    @Test
    void webhookHmacMatchesRfc4231TestCase2() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?", HMAC-SHA-256
        assertThat(WebhookSigner.hmacHex("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void webhookSignatureIsHmacOfTimestampDotBody() {
        // computed with another tool: printf '1700000000.{}' | openssl dgst -sha256 -hmac key
        assertThat(WebhookSigner.signature("key", 1700000000L, "{}"))
                .isEqualTo("t=1700000000,v1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae");
    }

    @Test
    void pagerDutyAndSlackShapes() {
        EventEnvelope e = EventEnvelope.of("alert.resolved", "telemetry-service", "agent-1",
                Map.of("title", "t", "fingerprint", "fp", "status", "RESOLVED"));
        Map<String, Object> pd = Payloads.pagerDuty(e, Severity.HIGH, "rk");
        assertThat(pd).containsEntry("routing_key", "rk").containsEntry("event_action", "resolve")
                .containsEntry("dedup_key", "fp");
        @SuppressWarnings("unchecked") Map<String, Object> payload = (Map<String, Object>) pd.get("payload");
        assertThat(payload).containsEntry("severity", "error").containsKeys("summary", "source",
                "timestamp");
        Map<String, Object> slack = Payloads.slack(e, Severity.HIGH);
        assertThat(slack).containsKeys("text", "blocks");
        assertThat((List<?>) slack.get("blocks")).hasSize(2);
    }

    @Test
    void subscriptionsFilterByTypeAndSeverity() {
        Subscription s = new Subscription("id", "n", SubscriptionKind.WEBHOOK, "http://x", "s",
                List.of("alert.*"), Severity.HIGH, true, 0, null, null);
        assertThat(s.matches("alert.created", Severity.CRITICAL)).isTrue();
        assertThat(s.matches("alert.created", Severity.MEDIUM)).isFalse();
        assertThat(s.matches("lease.expired", Severity.CRITICAL)).isFalse();
        assertThat(s.toString()).doesNotContain("s]").doesNotContain("secret");
    }
}

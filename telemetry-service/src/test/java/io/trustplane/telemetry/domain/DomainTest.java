package io.trustplane.telemetry.domain;

import io.trustplane.telemetry.domain.alert.AlertRule;
import io.trustplane.telemetry.domain.alert.AlertStatus;
import io.trustplane.telemetry.domain.alert.RuleKind;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.gaming.GamingType;
import io.trustplane.telemetry.domain.ingest.CounterLine;
import io.trustplane.telemetry.domain.ingest.EventEffects;
import io.trustplane.telemetry.domain.ingest.EventInterpreter;
import io.trustplane.telemetry.domain.notification.Payloads;
import io.trustplane.telemetry.domain.notification.Subscription;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
import io.trustplane.telemetry.service.WebhookSigner;

import io.trustplane.common.events.DomainEvent;
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

    private static EventEffects interpret(String subject, DomainEvent event) {
        return EventInterpreter.interpret(new EventEnvelope("id-1", event.eventType().wireName(), "producer", subject,
                null, Map.of()), event);
    }

    @Test
    void interpreterMapsSeedEventsToCounters() {
        EventEffects drift = interpret("agent-1", new DomainEvent.PromptDriftDetected("T-1", "VERIFY", "high",
                "sha256:a", "sha256:b", 1));
        assertThat(drift.increments()).extracting(EventEffects.Increment::name)
                .contains("prompt_drift_detected", "prompt_drift_detected.high");
        EventEffects strategize = interpret("agent-1", new DomainEvent.PhaseStrategizeSkipped("T-1", "NONE",
                "IMPLEMENT"));
        assertThat(strategize.increments()).extracting(EventEffects.Increment::name)
                .contains("strategize_skipped", "phase_skips_attempted");
        EventEffects laterSkip = interpret("agent-1", new DomainEvent.PhaseSkipAttempted("T-1", "SPEC", "IMPLEMENT"));
        assertThat(laterSkip.increments()).extracting(EventEffects.Increment::name)
                .contains("phase_skips_attempted").doesNotContain("strategize_skipped");
        EventEffects score = interpret("agent-1", new DomainEvent.AgentScoreChanged(640, 640, "TRUSTED", false));
        assertThat(score.score()).contains(640.0);
        assertThat(score.tier()).contains("TRUSTED");
        assertThat(score.agentId()).isEqualTo("agent-1");
        EventEffects signal = interpret("agent-1", new DomainEvent.GamingSignal("BOUNDARY_TESTING", null, null, null,
                null, null));
        assertThat(signal.gamingSignal()).hasValueSatisfying(g -> assertThat(g.type()).isEqualTo(GamingType.BOUNDARY_TESTING));
    }

    @Test
    void oneFailedTransitionCountsOnceInTheAttemptsDenominator() {
        // what lease-service emits for a forward move refused by the evidence gate: both events, one attempt
        List<String> names = new java.util.ArrayList<>();
        names.addAll(interpret("a", new DomainEvent.PhaseValidationFailed("T", "evidence", "SPEC", "PLAN"))
                .increments().stream().map(EventEffects.Increment::name).toList());
        names.addAll(interpret("a", new DomainEvent.EvidenceGateFailed("T", "SPEC", "PLAN", List.of("spec")))
                .increments().stream().map(EventEffects.Increment::name).toList());
        assertThat(names.stream().filter("phase_transition_attempts"::equals)).hasSize(1);
        assertThat(names).contains("evidence_gate_failed", "phase_validations_failed");
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

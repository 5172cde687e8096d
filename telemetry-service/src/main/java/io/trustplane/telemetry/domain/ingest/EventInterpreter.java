package io.trustplane.telemetry.domain.ingest;

import io.trustplane.telemetry.domain.alert.NewAlert;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.gaming.GamingType;

import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.DomainEvent.*;
import io.trustplane.common.events.EventEnvelope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the catalogue's events to counters and signals: one visitor method per record, so an event type added to
 * the catalogue does not compile here until telemetry decides what it counts (docs/events.md lists the effects).
 * The subject of the envelope is the agent the per-agent counters and scores belong to.
 */
public final class EventInterpreter implements DomainEvent.Visitor<EventInterpreter.Effects> {

    /** Phases of the work process in order (seed 001). */
    public static final List<String> PHASES = List.of("STRATEGIZE", "SPEC", "PLAN", "THINK", "IMPLEMENT", "VERIFY",
            "REVIEW", "PR", "MONITOR");

    /** What one event changes besides its {@code events.<type>} count (built by the visitor, then completed). */
    static final class Effects {
        final List<EventEffects.Increment> inc = new ArrayList<>();
        Optional<Double> score = Optional.empty();
        Optional<String> tier = Optional.empty();
        Optional<String> leaseAcquired = Optional.empty();
        Optional<String> leaseEnded = Optional.empty();
        Optional<Long> logSize = Optional.empty();
        Optional<EventEffects.GamingSignal> signal = Optional.empty();
        Optional<EventEffects.RolloutChange> rollout = Optional.empty();
        Optional<EventEffects.RolloutSample> sample = Optional.empty();
        Optional<NewAlert> alert = Optional.empty();

        Effects global(String... names) {
            for (String n : names) {
                inc.add(new EventEffects.Increment(n, 1, false));
            }
            return this;
        }

        Effects agent(String... names) {
            for (String n : names) {
                inc.add(new EventEffects.Increment(n, 1, true));
            }
            return this;
        }
    }

    private final EventEnvelope envelope;

    private EventInterpreter(EventEnvelope envelope) {
        this.envelope = envelope;
    }

    /** The effects of a decoded event; {@code envelope} is the one it came in. */
    public static EventEffects interpret(EventEnvelope envelope, DomainEvent event) {
        Effects fx = event.accept(new EventInterpreter(envelope));
        List<EventEffects.Increment> inc = new ArrayList<>(fx.inc.size() + 1);
        inc.add(new EventEffects.Increment("events." + event.eventType().wireName(), 1, false));
        inc.addAll(fx.inc);
        String agentId = envelope.subject() == null || envelope.subject().isBlank() ? null : envelope.subject();
        return new EventEffects(inc, fx.score, fx.tier, fx.leaseAcquired, fx.leaseEnded, fx.logSize, fx.signal,
                fx.rollout, fx.sample, fx.alert, agentId);
    }

    private static Effects none() {
        return new Effects();
    }

    private static Effects agentState(int trustScore, String tier) {
        Effects fx = new Effects();
        fx.score = Optional.of((double) trustScore);
        fx.tier = Optional.ofNullable(tier);
        return fx;
    }

    private static Effects rollout(String flag, int percent, boolean active) {
        Effects fx = new Effects();
        fx.rollout = Optional.ofNullable(flag).map(f -> new EventEffects.RolloutChange(f, percent, active));
        return fx;
    }

    @Override
    public Effects taskCreated(TaskCreated e) {
        return none().global("tasks_created");
    }

    @Override
    public Effects ledgerAppended(LedgerAppended e) {
        return none(); // anchored by provenance-service (tp:anchor); telemetry only counts it if it ever sees one
    }

    @Override
    public Effects leaseAcquired(LeaseAcquired e) {
        Effects fx = none().global("leases_acquired");
        fx.leaseAcquired = Optional.ofNullable(e.leaseId());
        return fx;
    }

    @Override
    public Effects leaseRenewed(LeaseRenewed e) {
        return none().global("leases_renewed");
    }

    @Override
    public Effects leaseReleased(LeaseReleased e) {
        Effects fx = none().global("leases_released");
        fx.leaseEnded = Optional.ofNullable(e.leaseId());
        return fx;
    }

    @Override
    public Effects leaseExpired(LeaseExpired e) {
        Effects fx = none().global("leases_expired");
        fx.leaseEnded = Optional.ofNullable(e.leaseId());
        return fx;
    }

    @Override
    public Effects leaseContended(LeaseContended e) {
        return none().global("phase_lease_contention");
    }

    @Override
    public Effects phaseTransitioned(PhaseTransitioned e) {
        Effects fx = none().global("phase_transitions", "phase_transition_attempts");
        // every forward move passed its evidence gate: the evidence-gate ratio's denominator
        return "FORWARD".equals(e.kind()) ? fx.global("evidence_gate_checked") : fx;
    }

    @Override
    public Effects phaseSkipAttempted(PhaseSkipAttempted e) {
        return none().global("phase_skips_attempted");
    }

    @Override
    public Effects phaseStrategizeSkipped(PhaseStrategizeSkipped e) {
        // a STRATEGIZE skip is a skip like any other (seed 001's phase_skips_attempted) and has its own rule too
        return none().global("phase_skips_attempted", "strategize_skipped");
    }

    @Override
    public Effects phaseBacktracked(PhaseBacktracked e) {
        return none().global("phase_backtracks");
    }

    @Override
    public Effects phaseValidationFailed(PhaseValidationFailed e) {
        // every refused transition emits exactly one of these: the attempt is counted here and nowhere else
        return none().global("phase_validations_failed", "phase_transition_attempts");
    }

    @Override
    public Effects evidenceGateFailed(EvidenceGateFailed e) {
        // its refusal is also a phase.validation_failed, which counts the attempt: counting it here too would put
        // one failed transition twice into the ratio's denominator
        return none().global("evidence_gate_failed", "evidence_gate_checked");
    }

    @Override
    public Effects promptDriftDetected(PromptDriftDetected e) {
        Effects fx = none().global("prompt_drift_detected");
        Severity.parse(e.severity()).ifPresent(s -> fx.global("prompt_drift_detected."
                + s.name().toLowerCase(Locale.ROOT)));
        return fx;
    }

    @Override
    public Effects roleGateAllowed(RoleGateAllowed e) {
        return none().agent("role_gate_allowed");
    }

    @Override
    public Effects roleGateDenied(RoleGateDenied e) {
        return none().agent("role_gate_denied", "boundary_probes");
    }

    @Override
    public Effects roleGateEscalated(RoleGateEscalated e) {
        return none().agent("role_gate_escalated");
    }

    @Override
    public Effects silenceCreated(DomainEvent.SilenceCreated e) {
        return none(); // its own audit, anchored; the silence itself is read from the database
    }

    @Override
    public Effects silenceExpired(DomainEvent.SilenceExpired e) {
        return none();
    }

    @Override
    public Effects toolCallDecided(DomainEvent.ToolCallDecided e) {
        return none().agent("tool_calls_decided");
    }

    @Override
    public Effects toolCallCompleted(DomainEvent.ToolCallCompleted e) {
        return none().agent("tool_calls_completed");
    }

    @Override
    public Effects gamingSignal(GamingSignal e) {
        Effects fx = none();
        fx.signal = GamingType.parse(e.signal()).map(t -> new EventEffects.GamingSignal(t,
                e.reason() == null || e.reason().isBlank() ? "reported by " + envelope.source() : e.reason()));
        return fx;
    }

    @Override
    public Effects ceilingWarning(CeilingWarning e) {
        return none().agent("ceiling_warning", "boundary_probes");
    }

    @Override
    public Effects ceilingBreach(CeilingBreach e) {
        return none().agent("ceiling_breach");
    }

    @Override
    public Effects agentRegistered(AgentRegistered e) {
        return agentState(e.trustScore(), e.tier());
    }

    @Override
    public Effects agentSuspended(AgentSuspended e) {
        return agentState(e.trustScore(), e.tier());
    }

    @Override
    public Effects agentReinstated(AgentReinstated e) {
        return agentState(e.trustScore(), e.tier());
    }

    @Override
    public Effects agentScoreChanged(AgentScoreChanged e) {
        return agentState(e.trustScore(), e.tier());
    }

    @Override
    public Effects agentContained(AgentContained e) {
        // an operator stopped an agent: someone must look now, whatever the agent's counters say
        Effects fx = none().agent("agents_contained");
        String agentId = envelope.subject();
        if (agentId != null && !agentId.isBlank()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", e.reason());
            details.put("containedBy", e.actor());
            details.put("leasesReleased", e.leasesReleased());
            details.put("approvalsRevoked", e.approvalsRevoked());
            details.put("flagsPinned", e.flagsPinned());
            details.put("failedSteps", e.failedSteps());
            details.put("eventId", envelope.id());
            fx.alert = Optional.of(new NewAlert("containment:" + agentId, "CONTAINMENT", "CONTAINMENT",
                    Severity.HIGH, agentId, agentId + " was contained by " + e.actor() + ": " + e.reason(), details));
        }
        return fx;
    }

    @Override
    public Effects agentContainmentLifted(AgentContainmentLifted e) {
        return none().agent("agent_containments_lifted");
    }

    @Override
    public Effects escalationAwaitingOperator(EscalationAwaitingOperator e) {
        return none().global("escalations_awaiting_operator");
    }

    @Override
    public Effects escalationDecided(EscalationDecided e) {
        return none().global("escalations_decided");
    }

    @Override
    public Effects rolloutCreated(RolloutCreated e) {
        return rollout(e.flag(), e.toPercent(), true); // the first stage is watched from the start
    }

    @Override
    public Effects rolloutAdvanced(RolloutAdvanced e) {
        return rollout(e.flag(), e.toPercent(), true);
    }

    @Override
    public Effects rolloutRolledBack(RolloutRolledBack e) {
        return rollout(e.flag(), 0, false);
    }

    @Override
    public Effects rolloutPaused(RolloutPaused e) {
        return rollout(e.flag(), e.toPercent(), false); // not watched while paused
    }

    @Override
    public Effects rolloutResumed(RolloutResumed e) {
        return rollout(e.flag(), e.toPercent(), true);
    }

    @Override
    public Effects rolloutMetrics(RolloutMetrics e) {
        Effects fx = none();
        if (e.flag() != null && e.cohort() != null) {
            fx.sample = Optional.of(new EventEffects.RolloutSample(e.flag(), e.cohort().equalsIgnoreCase("cohort"),
                    e.requests(), e.errors(), e.p95LatencyMs()));
        }
        return fx;
    }

    @Override
    public Effects provenanceCreated(ProvenanceCreated e) {
        return none();
    }

    @Override
    public Effects checkpointPublished(CheckpointPublished e) {
        Effects fx = none();
        fx.logSize = Optional.of(e.treeSize());
        return fx;
    }

    @Override
    public Effects alertCreated(AlertCreated e) {
        return none(); // telemetry's own; anchored by provenance-service and sent to webhooks
    }

    @Override
    public Effects alertUpdated(AlertUpdated e) {
        return none();
    }

    @Override
    public Effects alertResolved(AlertResolved e) {
        return none();
    }
}

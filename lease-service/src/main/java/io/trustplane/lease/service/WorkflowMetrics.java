package io.trustplane.lease.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.Phase;

/**
 * The anti-drift counters of seed 001, each counted in Micrometer (bounded labels: phases, reasons, severities,
 * never agent ids) and emitted as an event with the details. The refusals (skips, failed validations, evidence,
 * contention) belong to no committed transaction: their events are written to the outbox in a statement of their
 * own, off the request's path, so a Redis outage delays them and does not lose them.
 */
@ApplicationScoped
public class WorkflowMetrics {

    private final MeterRegistry registry;
    private final Outbox events;

    public WorkflowMetrics(MeterRegistry registry, Outbox events) {
        this.registry = registry;
        this.events = events;
    }

    public void skipAttempted(String agentId, String taskId, String from, Phase to) {
        registry.counter("phase_skips_attempted", "from", from, "to", to.name()).increment();
        validationFailed(agentId, taskId, "skip", from, to);
        boolean strategize = "NONE".equals(from);
        events.writeNow(agentId, strategize ? new DomainEvent.PhaseStrategizeSkipped(taskId, from, to.name())
                : new DomainEvent.PhaseSkipAttempted(taskId, from, to.name()));
    }

    /** Counts a committed backtrack; its event was written in the transition's transaction ({@link #backtrack}). */
    public void backtracked(Phase from, Phase to) {
        registry.counter("phase_backtracks", "from", from.name(), "to", to.name()).increment();
    }

    public static Outbox.Pending backtrack(String agentId, String taskId, Phase from, Phase to) {
        return Outbox.event(agentId, new DomainEvent.PhaseBacktracked(taskId, from.name(), to.name()));
    }

    /** Every transition validated: with {@code phase_validations_failed}, seed 001's "> 2 % over 10 min" rule. */
    public void validationAttempted() {
        registry.counter("phase_validations").increment();
    }

    /** Every forward move checked against its evidence gate: the denominator of "> 1 % over 1 h". */
    public void evidenceGateChecked(Phase from) {
        registry.counter("evidence_gate_checked", "phase", from.name()).increment();
    }

    public void evidenceGateFailed(String agentId, String taskId, Phase from, Phase to, List<String> missing) {
        registry.counter("evidence_gate_failed", "phase", from.name()).increment();
        validationFailed(agentId, taskId, "evidence", from.name(), to);
        events.writeNow(agentId, new DomainEvent.EvidenceGateFailed(taskId, from.name(), to.name(), missing));
    }

    public void validationFailed(String agentId, String taskId, String reason, String from, Phase to) {
        registry.counter("phase_validations_failed", "reason", reason).increment();
        events.writeNow(agentId, new DomainEvent.PhaseValidationFailed(taskId, reason, from,
                to == null ? null : to.name()));
    }

    public void leaseContention(String agentId, String taskId, Phase phase, String holder) {
        registry.counter("phase_lease_contention", "phase", phase.name()).increment();
        events.writeNow(agentId, new DomainEvent.LeaseContended(taskId, phase.name(), holder));
    }

    public void driftDetected(String agentId, AttestationResult r) {
        registry.counter("prompt_drift_detected", "severity", r.severity().label()).increment();
        events.writeNow(agentId, new DomainEvent.PromptDriftDetected(r.taskId(), r.phase().name(),
                r.severity().label(), r.specHash(), r.baselineHash(), r.baselineVersion()));
    }
}

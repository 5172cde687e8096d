package io.trustplane.lease.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.trustplane.common.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The anti-drift counters of seed 001, each counted in Micrometer (bounded labels: phases, reasons, severities,
 * never agent ids) and emitted as an event on tp:events with the details.
 */
@ApplicationScoped
public class WorkflowMetrics {

    private final MeterRegistry registry;
    private final EventPublisher events;

    public WorkflowMetrics(MeterRegistry registry, EventPublisher events) {
        this.registry = registry;
        this.events = events;
    }

    public void skipAttempted(String agentId, String taskId, String from, Phase to) {
        registry.counter("phase_skips_attempted", "from", from, "to", to.name()).increment();
        validationFailed(agentId, taskId, "skip", from, to);
        boolean strategize = "NONE".equals(from);
        events.fire(strategize ? "phase.strategize_skipped" : "phase.skip_attempted", agentId,
                data("taskId", taskId, "from", from, "to", to.name()));
    }

    public void backtracked(String agentId, String taskId, Phase from, Phase to) {
        registry.counter("phase_backtracks", "from", from.name(), "to", to.name()).increment();
        events.fire("phase.backtracked", agentId, data("taskId", taskId, "from", from.name(), "to", to.name()));
    }

    /** Every transition validated: with {@code phase_validations_failed}, seed 001's "> 2 % over 10 min" rule. */
    public void validationAttempted() {
        registry.counter("phase_validations").increment();
    }

    /** Every forward move checked against its evidence gate: the denominator of "> 1 % over 1 h". */
    public void evidenceGateChecked(Phase from) {
        registry.counter("evidence_gate_checked", "phase", from.name()).increment();
    }

    public void evidenceGateFailed(String agentId, String taskId, Phase from, Phase to, Object missing) {
        registry.counter("evidence_gate_failed", "phase", from.name()).increment();
        validationFailed(agentId, taskId, "evidence", from.name(), to);
        events.fire("evidence_gate.failed", agentId,
                data("taskId", taskId, "from", from.name(), "to", to.name(), "missing", missing));
    }

    public void validationFailed(String agentId, String taskId, String reason, String from, Phase to) {
        registry.counter("phase_validations_failed", "reason", reason).increment();
        events.fire("phase.validation_failed", agentId,
                data("taskId", taskId, "reason", reason, "from", from, "to", to == null ? null : to.name()));
    }

    public void leaseContention(String agentId, String taskId, Phase phase, String holder) {
        registry.counter("phase_lease_contention", "phase", phase.name()).increment();
        events.fire("lease.contended", agentId, data("taskId", taskId, "phase", phase.name(), "holder", holder));
    }

    public void driftDetected(String agentId, AttestationResult r) {
        registry.counter("prompt_drift_detected", "severity", r.severity().label()).increment();
        events.fire("prompt.drift_detected", agentId, data("taskId", r.taskId(), "phase", r.phase().name(),
                "severity", r.severity().label(), "specHash", r.specHash(), "baselineHash", r.baselineHash(),
                "baselineVersion", r.baselineVersion()));
    }

    static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}

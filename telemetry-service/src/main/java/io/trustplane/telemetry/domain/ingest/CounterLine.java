package io.trustplane.telemetry.domain.ingest;

import io.trustplane.telemetry.domain.alert.Severity;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One counter increment as posted (seed 001's JSONL line: name, value, timestamp, tags), already validated, with
 * the agent it belongs to. {@link #derivedNames()} says which series it feeds; {@code global} says whether it may
 * also feed the global series the alert rules read: only lines a pipeline posts with the {@code service} role do
 * (the counter trust boundary, docs/security.md): what an agent says about itself stays in its own series.
 */
public record CounterLine(String id, String agentId, String name, long value, OffsetDateTime timestamp,
        Map<String, String> tags, boolean global) {

    /** An agent's own line: its series only. */
    public CounterLine(String id, String agentId, String name, long value, OffsetDateTime timestamp,
            Map<String, String> tags) {
        this(id, agentId, name, value, timestamp, tags, false);
    }

    /** Counters whose every line is also one phase-transition attempt (the ratio rules' denominator). */
    private static final Set<String> ATTEMPTS = Set.of("evidence_gate_failed", "phase_validations_failed",
            "phase_transitions");
    /** Counters whose every line is also one evidence-gate check (the evidence-gate rule's denominator). */
    private static final Set<String> GATE_CHECKS = Set.of("evidence_gate_failed", "phase_transitions");

    /** The series this line adds to: its name, {@code name.<severity>} when tagged, and derived totals. */
    public List<String> derivedNames() {
        List<String> names = new ArrayList<>(3);
        names.add(name);
        String severity = tags == null ? null : tags.get("severity");
        Severity.parse(severity).ifPresent(s -> names.add(name + "." + s.name().toLowerCase(Locale.ROOT)));
        if (ATTEMPTS.contains(name)) {
            names.add("phase_transition_attempts");
        }
        if (GATE_CHECKS.contains(name)) {
            names.add("evidence_gate_checked");
        }
        return names;
    }
}

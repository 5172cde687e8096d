package io.trustplane.telemetry.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One counter increment as agents post it (seed 001's JSONL line: name, value, timestamp, tags), already
 * validated, with the agent it belongs to. {@link #derivedNames()} says which series it feeds.
 */
public record CounterLine(String id, String agentId, String name, long value, OffsetDateTime timestamp,
        Map<String, String> tags) {

    /** Counters whose every line is also one phase-transition attempt (the ratio rules' denominator). */
    private static final Set<String> ATTEMPTS = Set.of("evidence_gate_failed", "phase_validations_failed",
            "phase_transitions");

    /** The series this line adds to: its name, {@code name.<severity>} when tagged, and derived totals. */
    public List<String> derivedNames() {
        List<String> names = new ArrayList<>(3);
        names.add(name);
        String severity = tags == null ? null : tags.get("severity");
        Severity.parse(severity).ifPresent(s -> names.add(name + "." + s.name().toLowerCase(Locale.ROOT)));
        if (ATTEMPTS.contains(name)) {
            names.add("phase_transition_attempts");
        }
        return names;
    }
}

package io.trustplane.lease.domain;

import io.trustplane.common.problem.ProblemException;

import java.util.Arrays;

/** The work process of seed 001, in order: a task moves forward one phase at a time and may go back. */
public enum Phase {
    STRATEGIZE, SPEC, PLAN, THINK, IMPLEMENT, VERIFY, REVIEW, PR, MONITOR;

    /** Parses a phase named in a query or path, answering 400 naming {@code field} when unknown. */
    public static Phase parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(field, "must not be blank");
        }
        try {
            return Phase.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "must be one of " + Arrays.toString(values()));
        }
    }

    /** Drift severity when the prompt of this phase departs from its baseline (seed 001). */
    public DriftSeverity driftSeverity() {
        return switch (this) {
            case VERIFY, REVIEW, MONITOR -> DriftSeverity.HIGH;
            case STRATEGIZE, SPEC, PLAN -> DriftSeverity.LOW;
            default -> DriftSeverity.MEDIUM;
        };
    }
}

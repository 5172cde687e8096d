package io.trustplane.gate.domain;

/** The outcome of one role-gate evaluation before it gets an id; {@code ruleId} names what decided. */
public record Verdict(Decision decision, Layer layer, String reason, String ruleId, boolean boundaryTesting) {

    static Verdict of(Decision d, Layer l, String reason, String ruleId) {
        return new Verdict(d, l, reason, ruleId, false);
    }
}

package io.trustplane.telemetry.domain.alert;

/** THRESHOLD: sum of a counter over the window exceeds the threshold; RATIO: numerator/denominator does. */
public enum RuleKind {
    THRESHOLD, RATIO
}

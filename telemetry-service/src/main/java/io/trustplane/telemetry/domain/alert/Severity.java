package io.trustplane.telemetry.domain.alert;

import io.trustplane.telemetry.domain.EnumNames;

import java.util.Optional;

/** How bad an alert is; ordered so a subscription's minimum severity is a comparison. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Lenient parse of producer-supplied severities ("high", "HIGH"). */
    public static Optional<Severity> parse(Object value) {
        return EnumNames.parse(Severity.class, value);
    }
}

package io.trustplane.telemetry.domain.alert;

import java.util.Locale;
import java.util.Optional;

/** How bad an alert is; ordered so a subscription's minimum severity is a comparison. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Lenient parse of producer-supplied severities ("high", "HIGH"). */
    public static Optional<Severity> parse(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.toString().trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

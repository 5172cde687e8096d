package io.trustplane.telemetry.domain.alert;

/** The result of raising an alert: the alert and whether this raise opened it (rather than counting a recurrence). */
public record Raised(Alert alert, boolean created) {
}

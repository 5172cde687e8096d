package io.trustplane.telemetry.domain.notification;

import io.trustplane.telemetry.domain.alert.Severity;

import java.time.OffsetDateTime;
import java.util.List;

/** A notification subscription as stored. The secret never leaves the service: see {@link #view()}. */
public record Subscription(String id, String name, SubscriptionKind kind, String url, String secret,
        List<String> eventTypes, Severity minSeverity, boolean enabled, int consecutiveFailures,
        String disabledReason, OffsetDateTime createdAt) {

    /** What the API returns: everything but the secret, and whether one is set. */
    public record View(String id, String name, SubscriptionKind kind, String url, boolean secretSet,
            List<String> eventTypes, Severity minSeverity, boolean enabled, int consecutiveFailures,
            String disabledReason, OffsetDateTime createdAt) {
    }

    public View view() {
        return new View(id, name, kind, url, secret != null && !secret.isEmpty(), eventTypes, minSeverity, enabled,
                consecutiveFailures, disabledReason, createdAt);
    }

    /** Whether this subscription wants an event of this type and severity. */
    public boolean matches(String eventType, Severity severity) {
        boolean typeOk = eventTypes.stream().anyMatch(t -> t.equals("*") || t.equals(eventType)
                || (t.endsWith(".*") && eventType.startsWith(t.substring(0, t.length() - 1))));
        return enabled && typeOk && (severity == null || severity.atLeast(minSeverity));
    }

    /** Redacts the secret for logs. */
    @Override
    public String toString() {
        return "Subscription[" + id + " " + kind + " " + name + "]";
    }
}

package io.trustplane.lease.domain;

/** How serious a prompt drift is, decided by the phase it happens in. */
public enum DriftSeverity {
    LOW, MEDIUM, HIGH;

    /** The lower-case label used in metrics and events. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

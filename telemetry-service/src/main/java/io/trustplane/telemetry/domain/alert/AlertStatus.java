package io.trustplane.telemetry.domain.alert;

import java.util.Map;
import java.util.Set;

/**
 * The alert lifecycle: ACTIVE → INVESTIGATING → RESOLVED | FALSE_POSITIVE (an ACTIVE alert may also be closed
 * directly). RESOLVED and FALSE_POSITIVE are final: a recurrence opens a new alert.
 */
public enum AlertStatus {
    ACTIVE, INVESTIGATING, RESOLVED, FALSE_POSITIVE;

    private static final Map<AlertStatus, Set<AlertStatus>> NEXT = Map.of(
            ACTIVE, Set.of(INVESTIGATING, RESOLVED, FALSE_POSITIVE),
            INVESTIGATING, Set.of(RESOLVED, FALSE_POSITIVE),
            RESOLVED, Set.of(),
            FALSE_POSITIVE, Set.of());

    public boolean canMoveTo(AlertStatus to) {
        return NEXT.get(this).contains(to);
    }

    public boolean isOpen() {
        return this == ACTIVE || this == INVESTIGATING;
    }

    /** The event type announcing a move into this status. */
    public String eventType() {
        return switch (this) {
            case ACTIVE -> "alert.created";
            case INVESTIGATING -> "alert.updated";
            case RESOLVED, FALSE_POSITIVE -> "alert.resolved";
        };
    }
}

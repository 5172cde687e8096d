package io.trustplane.lease.domain;

/**
 * Result of one acquire attempt: either {@code granted}, or {@code holder} is the live lease that blocked it.
 * {@code expired} is a lapsed lease this attempt found and closed (its holder must be told).
 */
public record AcquireOutcome(Lease granted, Lease holder, Lease expired) {

    public boolean isGranted() {
        return granted != null;
    }
}

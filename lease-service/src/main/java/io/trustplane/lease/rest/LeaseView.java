package io.trustplane.lease.rest;

import io.trustplane.lease.domain.Lease;

import java.time.Instant;

/** A lease as returned to callers. */
public record LeaseView(String leaseId, String taskId, String phase, String holder, long fencingToken,
        Instant acquiredAt, Instant expiresAt, long expiresInMs, int renewals, String status) {

    static LeaseView of(Lease l) {
        return new LeaseView(l.leaseId(), l.taskId(), l.phase().name(), l.holder(), l.fencingToken(), l.acquiredAt(),
                l.expiresAt(), l.expiresInMs(), l.renewals(), l.status());
    }
}

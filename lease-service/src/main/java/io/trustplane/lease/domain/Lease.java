package io.trustplane.lease.domain;

import java.time.Instant;

/**
 * One grant of a (taskId, phase) key. {@code live} and {@code expiresInMs} were computed by PostgreSQL's clock
 * when the row was read.
 */
public record Lease(String leaseId, String taskId, Phase phase, String holder, long fencingToken,
        Instant acquiredAt, Instant expiresAt, int renewals, String status, boolean live, long expiresInMs) {

    public boolean isActive() {
        return "ACTIVE".equals(status);
    }
}

package io.trustplane.gate.repository.entity;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import java.time.Instant;

/**
 * The optimistic version and the two timestamps the versioned tables (policies, flags) share: {@code created_at} is
 * filled by the column's default (rows are created by SQL inserts that claim their Idempotency-Key in the same
 * transaction), {@code updated_at} by the entity's writes.
 */
@MappedSuperclass
public abstract class VersionedEntity {

    @Version
    public long version;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}

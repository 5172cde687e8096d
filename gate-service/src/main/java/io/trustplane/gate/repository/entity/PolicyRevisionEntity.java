package io.trustplane.gate.repository.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** A row of {@code policy_revisions}: one policy change, its {@code snapshot} (jsonb) as the policy then was. */
@Entity
@Table(name = "policy_revisions")
public class PolicyRevisionEntity {

    // bigserial: PostgreSQL numbers revisions, so their order is the commit-independent order caches compare
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long revision;

    @Column(name = "policy_id")
    public String policyId;

    public long version;

    public String change;

    // the JSON text as it is stored: written from the same map the SQL path writes, never read by the service
    @JdbcTypeCode(SqlTypes.JSON)
    public String snapshot;

    public String actor;

    // clock_timestamp() by default, as for the SQL path's revisions
    @Column(name = "changed_at", insertable = false, updatable = false)
    public Instant changedAt;
}

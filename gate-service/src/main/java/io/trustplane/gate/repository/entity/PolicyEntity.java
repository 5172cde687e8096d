package io.trustplane.gate.repository.entity;

import io.trustplane.gate.domain.Decision;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;


/**
 * A row of {@code policies} (V1__gate.sql) for the admin side's update and delete; {@code version} is the optimistic
 * version every change has always bumped, so a stale write fails instead of overwriting.
 */
@Entity
@Table(name = "policies")
public class PolicyEntity extends VersionedEntity {

    @Id
    public String id;

    public String name;

    public int priority;

    public String role;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] tiers;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] actions;

    @Column(name = "resource_pattern")
    public String resourcePattern;

    @Enumerated(EnumType.STRING)
    public Decision effect;

    public boolean enabled;

    public boolean deleted;
}

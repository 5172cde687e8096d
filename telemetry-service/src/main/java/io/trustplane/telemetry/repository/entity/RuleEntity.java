package io.trustplane.telemetry.repository.entity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.trustplane.telemetry.domain.alert.RuleKind;
import io.trustplane.telemetry.domain.alert.Severity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.OffsetDateTime;

/**
 * A row of {@code alert_rules} (migrations V1, V15) as Hibernate Reactive maps it; only the repository sees it, and
 * turns it into an {@link io.trustplane.telemetry.domain.alert.AlertRule}.
 */
@Entity
@Table(name = "alert_rules")
public class RuleEntity extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    public String description;

    // TEXT with a CHECK on the enum's names: stored by name, as the SQL did
    @Enumerated(EnumType.STRING)
    public RuleKind kind;

    public String counter;

    public String denominator;

    @Column(name = "window_seconds")
    public int windowSeconds;

    public double threshold;

    @Column(name = "min_denominator")
    public long minDenominator;

    @Enumerated(EnumType.STRING)
    public Severity severity;

    public boolean enabled;

    public boolean builtin;

    /** The rule's revision: every update adds one (API field {@code version}, alert detail {@code ruleVersion}). */
    @Version
    public int version;

    // the column's default (now()) on insert; set on every update so that each one is a new version
    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;
}

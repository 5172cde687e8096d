package io.trustplane.telemetry.repository.entity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code subscriptions} (migration V1) as Hibernate Reactive maps it; only the repository sees it, and turns
 * it into a {@link io.trustplane.telemetry.domain.notification.Subscription}. Its {@code toString} (Panache's: class
 * and id) never shows the secret.
 */
@Entity
@Table(name = "subscriptions")
// the delivery path updates the failure streak with its own SQL: an admin change writes only the columns it changed
@DynamicUpdate
public class SubscriptionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    @Enumerated(EnumType.STRING)
    public SubscriptionKind kind;

    public String url;

    /** The webhook's HMAC key or PagerDuty's routing key; empty for Slack. Stored as given, never answered. */
    public String secret;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types")
    public String[] eventTypes;

    @Enumerated(EnumType.STRING)
    @Column(name = "min_severity")
    public Severity minSeverity;

    public boolean enabled;

    @Column(name = "consecutive_failures")
    public int consecutiveFailures;

    @Column(name = "disabled_reason")
    public String disabledReason;

    // the database's clock (the column's default), read back after the insert
    @Generated
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", insertable = false)
    public OffsetDateTime updatedAt;
}

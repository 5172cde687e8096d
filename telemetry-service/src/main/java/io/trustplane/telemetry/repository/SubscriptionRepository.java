package io.trustplane.telemetry.repository;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.notification.Subscription;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
import io.trustplane.telemetry.repository.entity.SubscriptionEntity;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Notification subscriptions as admins manage them, mapped with Hibernate Reactive ({@link SubscriptionEntity});
 * every method runs in the caller's Panache session or transaction. The delivery path reads and updates the same
 * rows through {@link DeliveryRepository}.
 */
@ApplicationScoped
public class SubscriptionRepository {

    private static final Sort ORDER = Sort.by("createdAt").and("id");

    /** Stores a new, enabled subscription (needs a transaction); Slack's absent secret is stored empty, as before. */
    public Uni<Subscription> insert(String name, SubscriptionKind kind, String url, String secret,
            List<String> eventTypes, Severity minSeverity) {
        SubscriptionEntity e = new SubscriptionEntity();
        e.id = UUID.randomUUID();
        e.name = name;
        e.kind = kind;
        e.url = url;
        e.secret = secret == null ? "" : secret;
        e.eventTypes = eventTypes.toArray(String[]::new);
        e.minSeverity = minSeverity;
        e.enabled = true;
        // flushed here so the database's created_at is read back into the answer
        return e.persistAndFlush().map(ignored -> toSubscription(e));
    }

    /** One subscription (needs a session). */
    public Uni<Optional<Subscription>> find(UUID id) {
        return SubscriptionEntity.<SubscriptionEntity>findById(id)
                .map(e -> Optional.ofNullable(e).map(SubscriptionRepository::toSubscription));
    }

    /** Every subscription, oldest first (needs a session). */
    public Uni<List<Subscription>> all() {
        return SubscriptionEntity.<SubscriptionEntity>listAll(ORDER)
                .map(all -> all.stream().map(SubscriptionRepository::toSubscription).toList());
    }

    /** Deletes a subscription, and with it its delivery log (the foreign key cascades); false when unknown. */
    public Uni<Boolean> delete(UUID id) {
        return SubscriptionEntity.deleteById(id);
    }

    /** Re-enables and clears the failure streak (needs a transaction); empty when unknown. */
    public Uni<Optional<Subscription>> enable(UUID id) {
        return SubscriptionEntity.<SubscriptionEntity>findById(id).flatMap(e -> {
            if (e == null) {
                return Uni.createFrom().item(Optional.<Subscription>empty());
            }
            e.enabled = true;
            e.consecutiveFailures = 0;
            e.disabledReason = null;
            e.updatedAt = OffsetDateTime.now();
            return e.flush().map(ignored -> Optional.of(toSubscription(e)));
        });
    }

    private static Subscription toSubscription(SubscriptionEntity e) {
        // UTC, as the SQL client hands out timestamptz values, so answers read as they did
        return new Subscription(e.id.toString(), e.name, e.kind, e.url, e.secret, List.of(e.eventTypes),
                e.minSeverity, e.enabled, e.consecutiveFailures, e.disabledReason,
                e.createdAt.withOffsetSameInstant(ZoneOffset.UTC));
    }
}

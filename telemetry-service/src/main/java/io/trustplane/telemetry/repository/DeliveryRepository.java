package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.notification.Delivery;
import io.trustplane.telemetry.domain.notification.Subscription;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery path's SQL: the subscriptions to deliver to, the delivery log and the failure streak. It stays on the
 * SQL client: deliveries run on the notifier's own threads (no Vert.x context for a Hibernate Reactive session), and
 * the streak is one atomic UPDATE that must not race an entity read-modify-write.
 */
@ApplicationScoped
public class DeliveryRepository {

    private static final String COLUMNS = "id, name, kind, url, secret, event_types, min_severity, enabled, "
            + "consecutive_failures, disabled_reason, created_at";

    private final Pool pool;

    public DeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** The enabled subscriptions, oldest first. */
    public Uni<List<Subscription>> targets() {
        return pool.query("SELECT " + COLUMNS + " FROM subscriptions WHERE enabled ORDER BY created_at, id").execute()
                .map(rs -> {
                    List<Subscription> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(map(r));
                    }
                    return out;
                });
    }

    /** A subscription as it stands after a delivery (was it disabled?). */
    public Uni<Optional<Subscription>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM subscriptions WHERE id = $1").execute(Tuple.of(id))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(map(rs.iterator().next())));
    }

    /**
     * Logs a delivery and updates the failure streak, disabling at {@code disableAfter} consecutive failures: one
     * statement (the update as a data-modifying CTE), so both happen or neither without a transaction of its own.
     */
    public Uni<Delivery> record(UUID subscriptionId, String eventId, String eventType, boolean delivered, int attempts,
            Integer httpStatus, String error, int disableAfter) {
        String streak = delivered
                ? "UPDATE subscriptions SET consecutive_failures = 0, updated_at = now() WHERE id = $1"
                : """
                  UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1,
                         enabled = enabled AND consecutive_failures + 1 < $8,
                         disabled_reason = CASE WHEN consecutive_failures + 1 >= $8
                             THEN (consecutive_failures + 1) || ' consecutive failed deliveries' ELSE disabled_reason END,
                         updated_at = now()
                   WHERE id = $1""";
        List<Object> args = new ArrayList<>(Arrays.asList(subscriptionId, eventId, eventType,
                delivered ? "DELIVERED" : "FAILED", attempts, httpStatus, error));
        if (!delivered) {
            args.add(disableAfter);
        }
        return pool.preparedQuery("WITH streak AS (" + streak + ") "
                        + "INSERT INTO deliveries (subscription_id, event_id, event_type, outcome, attempts, http_status, "
                        + "error) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, subscription_id, event_id, "
                        + "event_type, outcome, attempts, http_status, error, at")
                .execute(Tuple.from(args))
                .map(rs -> mapDelivery(rs.iterator().next()));
    }

    /** A page of a subscription's delivery log, newest first, before {@code cursor} when given. */
    public Uni<List<Delivery>> page(UUID subscriptionId, Long cursor, int limit) {
        return pool.preparedQuery("""
                SELECT id, subscription_id, event_id, event_type, outcome, attempts, http_status, error, at
                  FROM deliveries WHERE subscription_id = $1 AND ($2::bigint IS NULL OR id < $2)
                 ORDER BY id DESC LIMIT $3""")
                .execute(Tuple.of(subscriptionId, cursor, limit))
                .map(rs -> {
                    List<Delivery> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(mapDelivery(r));
                    }
                    return out;
                });
    }

    private static Delivery mapDelivery(Row r) {
        return new Delivery(r.getLong("id"), r.getUUID("subscription_id").toString(), r.getString("event_id"),
                r.getString("event_type"), r.getString("outcome"), r.getInteger("attempts"),
                r.getInteger("http_status"), r.getString("error"), r.getOffsetDateTime("at"));
    }

    private static Subscription map(Row r) {
        return new Subscription(r.getUUID("id").toString(), r.getString("name"),
                SubscriptionKind.valueOf(r.getString("kind")), r.getString("url"), r.getString("secret"),
                List.of(r.getArrayOfStrings("event_types")), Severity.valueOf(r.getString("min_severity")),
                r.getBoolean("enabled"), r.getInteger("consecutive_failures"), r.getString("disabled_reason"),
                r.getOffsetDateTime("created_at"));
    }
}

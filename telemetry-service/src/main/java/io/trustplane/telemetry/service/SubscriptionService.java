package io.trustplane.telemetry.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.notification.Delivery;
import io.trustplane.telemetry.domain.notification.HostResolver;
import io.trustplane.telemetry.domain.notification.Subscription;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
import io.trustplane.telemetry.domain.notification.UrlGuard;
import io.trustplane.telemetry.repository.DeliveryRepository;
import io.trustplane.telemetry.repository.SubscriptionRepository;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Notification subscriptions: what a new one needs (a URL unless PagerDuty's default applies, a secret unless Slack),
 * the SSRF guard at subscribe time ({@link UrlGuard}, resolved off the event loop), the delivery log, re-enabling,
 * and a test send through {@link NotificationService}. The subscriptions themselves are read and written with
 * Hibernate Reactive (one Panache session or transaction per call, on the request's Vert.x context); the delivery log
 * stays on the SQL client ({@link DeliveryRepository}).
 */
@ApplicationScoped
public class SubscriptionService {

    /** The event types a subscription gets when it names none. */
    static final List<String> ALERT_EVENTS = List.of("alert.created", "alert.updated", "alert.resolved");

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final NotificationService notifier;
    private final EventPublisher publisher;
    private final TelemetryConfig.Notifications config;
    private final HostResolver resolver;
    private final Duration storeTimeout;

    public SubscriptionService(SubscriptionRepository subscriptions, DeliveryRepository deliveries,
            NotificationService notifier, EventPublisher publisher, TelemetryConfig config, HostResolver resolver) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.notifier = notifier;
        this.publisher = publisher;
        this.config = config.notifications();
        this.storeTimeout = config.storeTimeout();
        this.resolver = resolver;
    }

    /**
     * Checks and stores a new subscription: 400 naming {@code url} or {@code secret} when one is missing, 422
     * {@code url_not_allowed} when the URL's host resolves to an address the guard refuses. The guard resolves DNS,
     * so it runs on a worker thread, outside the transaction; the insert then runs back on the request's Vert.x
     * context, where Hibernate Reactive sessions live.
     */
    public Uni<Subscription> create(String name, SubscriptionKind kind, String url, String secret,
            List<String> eventTypes, Severity minSeverity) {
        String target = url;
        if (target == null || target.isBlank()) {
            if (kind != SubscriptionKind.PAGERDUTY) {
                throw ProblemException.badRequest("url", "must not be blank");
            }
            target = config.pagerdutyUrl();
        }
        if (kind != SubscriptionKind.SLACK && (secret == null || secret.isBlank())) {
            throw ProblemException.badRequest("secret", kind == SubscriptionKind.WEBHOOK
                    ? "a webhook needs a signing secret" : "a PagerDuty subscription needs its routing key");
        }
        String checked = target;
        List<String> types = eventTypes == null || eventTypes.isEmpty() ? ALERT_EVENTS : eventTypes;
        Executor request = onContext(Vertx.currentContext());
        return Uni.createFrom()
                .item(() -> UrlGuard.check(checked, config.denyPrivateAddresses(),
                        config.allowedHosts().orElse(List.of()), resolver))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(request)
                .chain(() -> Panache.withTransaction(() -> subscriptions.insert(name, kind, checked,
                        kind == SubscriptionKind.SLACK ? null : secret, types,
                        minSeverity == null ? Severity.LOW : minSeverity)))
                // bounded as it was when the route blocked for it
                .ifNoItem().after(storeTimeout).fail();
    }

    public Uni<List<Subscription>> list() {
        return Panache.withSession(subscriptions::all);
    }

    /** One subscription; 404 when unknown. */
    public Uni<Subscription> get(String id) {
        return Panache.withSession(() -> subscriptions.find(UUID.fromString(id)))
                .map(o -> o.orElseThrow(() -> ProblemException.notFound("subscription", id)));
    }

    /** Deletes a subscription and forgets its delivery guard; 404 when unknown. */
    public Uni<Void> delete(String id) {
        return Panache.withTransaction(() -> subscriptions.delete(UUID.fromString(id))).map(ok -> {
            if (!ok) {
                throw ProblemException.notFound("subscription", id);
            }
            notifier.reset(id);
            return null;
        });
    }

    /** Re-enables a subscription, clearing its failure streak and its circuit; 404 when unknown. */
    public Uni<Subscription> enable(String id) {
        return Panache.withTransaction(() -> subscriptions.enable(UUID.fromString(id))).map(o -> {
            Subscription s = o.orElseThrow(() -> ProblemException.notFound("subscription", id));
            notifier.reset(id);
            return s;
        });
    }

    /** A page of the delivery log, newest first; 404 when the subscription is unknown. */
    public Uni<List<Delivery>> deliveries(String id, Long cursor, int limit) {
        return get(id).flatMap(known -> deliveries.page(UUID.fromString(id), cursor, limit));
    }

    /**
     * Sends a {@code notification.test} event now (on a worker thread: the delivery is synchronous) and answers the
     * logged delivery; 404 when unknown, 409 {@code subscription_disabled} when disabled.
     */
    public Uni<Delivery> test(String id, String requestedBy) {
        return get(id).emitOn(Infrastructure.getDefaultWorkerPool()).map(s -> {
            if (!s.enabled()) {
                throw ProblemException.conflict("subscription_disabled", "subscription '" + id + "' is disabled: "
                        + s.disabledReason() + "; re-enable it first");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("title", "Trustplane test notification");
            data.put("requestedBy", requestedBy);
            data.put("severity", Severity.LOW.name());
            return notifier.deliver(s, publisher.envelope("notification.test", null, data), Severity.LOW);
        });
    }

    /** Runs what follows on the request's context (where it has one: a service call outside a request has none). */
    private static Executor onContext(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }
}

package io.trustplane.telemetry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.Guard;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.SubscriptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers alert events to subscriptions (webhook, Slack, PagerDuty) on its own worker threads, never on the event
 * loop. Each subscription has its own SmallRye Fault Tolerance guard (retry with exponential backoff, circuit
 * breaker, timeout) so one failing receiver cannot open the circuit for the others. Every delivery is logged;
 * {@code disable-after} consecutive failed deliveries disable the subscription until an admin re-enables it.
 */
@ApplicationScoped
public class NotificationService {

    private static final Logger LOG = Logger.getLogger(NotificationService.class);

    /** A receiver answered with a non-2xx status. */
    static final class DeliveryFailed extends IOException {
        final int status;

        DeliveryFailed(int status) {
            super("receiver answered HTTP " + status);
            this.status = status;
        }
    }

    private final SubscriptionRepository subscriptions;
    private final ObjectMapper mapper;
    private final TelemetryConfig.Notifications config;
    private final MeterRegistry registry;
    private final HttpClient http;
    private final ExecutorService workers;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    public NotificationService(SubscriptionRepository subscriptions, ObjectMapper mapper, TelemetryConfig config,
            MeterRegistry registry) {
        this.subscriptions = subscriptions;
        this.mapper = mapper;
        this.config = config.notifications();
        this.registry = registry;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(this.config.workers(), r -> {
            Thread t = new Thread(r, "notify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Hands the event to every enabled subscription that wants it; returns at once. */
    public void dispatch(EventEnvelope event, Severity severity) {
        workers.execute(() -> {
            try {
                List<Subscription> targets = subscriptions.enabled().await().atMost(Duration.ofSeconds(10));
                for (Subscription s : targets) {
                    if (s.matches(event.type(), severity)) {
                        workers.execute(() -> deliver(s, event, severity));
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not dispatch %s %s: %s", event.type(), event.id(), e.toString());
            }
        });
    }

    /** Delivers synchronously (caller must not be an event-loop thread) and returns the logged delivery. */
    public Delivery deliver(Subscription s, EventEnvelope event, Severity severity) {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Integer> lastStatus = new AtomicReference<>();
        String body;
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(s.url())).timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "trustplane-telemetry");
            body = switch (s.kind()) {
                case WEBHOOK -> mapper.writeValueAsString(event);
                case SLACK -> mapper.writeValueAsString(Payloads.slack(event, severity));
                case PAGERDUTY -> mapper.writeValueAsString(Payloads.pagerDuty(event, severity, s.secret()));
            };
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return record(s, event, false, 0, null, "could not build request: " + e.getMessage());
        }
        String finalBody = body;
        try {
            guard(s).call(() -> {
                attempts.incrementAndGet();
                HttpRequest.Builder r = request.copy();
                if (s.kind() == SubscriptionKind.WEBHOOK) {
                    // signed per attempt so the timestamp is fresh for the receiver's replay window
                    r.header(WebhookSigner.HEADER,
                            WebhookSigner.signature(s.secret(), Instant.now().getEpochSecond(), finalBody));
                    r.header("X-Webhook-Id", event.id());
                }
                HttpResponse<Void> response = http.send(r.POST(HttpRequest.BodyPublishers.ofString(finalBody)).build(),
                        HttpResponse.BodyHandlers.discarding());
                lastStatus.set(response.statusCode());
                if (response.statusCode() / 100 != 2) {
                    throw new DeliveryFailed(response.statusCode());
                }
                return null;
            }, Void.class);
            registry.counter("telemetry_notifications_total", "kind", s.kind().name(), "outcome", "delivered").increment();
            return record(s, event, true, attempts.get(), lastStatus.get(), null);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            registry.counter("telemetry_notifications_total", "kind", s.kind().name(), "outcome", "failed").increment();
            LOG.warnf("delivery of %s %s to subscription %s failed after %d attempt(s): %s", event.type(), event.id(),
                    s.id(), attempts.get(), e.toString());
            return record(s, event, false, attempts.get(), lastStatus.get(), e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private Delivery record(Subscription s, EventEnvelope event, boolean ok, int attempts, Integer status, String error) {
        Delivery d = subscriptions.record(UUID.fromString(s.id()), event.id(), event.type(), ok, attempts, status,
                error, config.disableAfter()).await().atMost(Duration.ofSeconds(10));
        if (!ok) {
            subscriptions.find(UUID.fromString(s.id())).await().atMost(Duration.ofSeconds(10))
                    .filter(x -> !x.enabled())
                    .ifPresent(x -> {
                        guards.remove(x.id());
                        LOG.warnf("subscription %s disabled: %s", x.id(), x.disabledReason());
                    });
        }
        return d;
    }

    /** Forgets the guard (and its circuit state) of a subscription, e.g. when an admin re-enables it. */
    public void reset(String subscriptionId) {
        guards.remove(subscriptionId);
    }

    private Guard guard(Subscription s) {
        return guards.computeIfAbsent(s.id(), id -> Guard.create()
                .withDescription("notify-" + id)
                .withRetry()
                    .maxRetries(config.maxRetries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(config.timeout().multipliedBy(config.maxRetries() + 2L).toMillis(), ChronoUnit.MILLIS)
                    .withExponentialBackoff()
                        .factor(2)
                        .maxDelay(config.retryMaxDelay().toMillis(), ChronoUnit.MILLIS)
                        .done()
                    .done()
                .withCircuitBreaker()
                    .requestVolumeThreshold(config.circuitRequestVolume())
                    .failureRatio(config.circuitFailureRatio())
                    .delay(config.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .withTimeout()
                    .duration(config.timeout().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .build());
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

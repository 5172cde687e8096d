package io.trustplane.telemetry.service;

import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.notification.Delivery;
import io.trustplane.telemetry.domain.notification.HostResolver;
import io.trustplane.telemetry.domain.notification.Payloads;
import io.trustplane.telemetry.domain.notification.Subscription;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
import io.trustplane.telemetry.domain.notification.UrlGuard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.Guard;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.SilenceRepository;
import io.trustplane.telemetry.repository.DeliveryRepository;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers alert events to subscriptions (webhook, Slack, PagerDuty) on its own worker threads, never on the event
 * loop. Each subscription has its own SmallRye Fault Tolerance guard (retry with exponential backoff, circuit
 * breaker, timeout) so one failing receiver cannot open the circuit for the others. Every delivery is logged;
 * {@code disable-after} consecutive failed deliveries disable the subscription until an admin re-enables it.
 * Deliveries stay on a Vert.x client, not a Quarkus REST client: the connection must go to the exact address the
 * SSRF guard ({@link UrlGuard}) checked, and a REST client would resolve the URL's host a second time.
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

    private final DeliveryRepository deliveries;
    private final ObjectMapper mapper;
    private final TelemetryConfig.Notifications config;
    private final MeterRegistry registry;
    /** The send-time guard refused the target: nothing was sent, and nothing about the target is logged. */
    static final class TargetRefused extends IOException {
        TargetRefused(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final HostResolver resolver;
    private final ExecutorService workers;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final SilenceRepository silences;
    private final Map<String, Group> groups = new HashMap<>();
    private final ScheduledExecutorService flusher;

    public NotificationService(DeliveryRepository deliveries, SilenceRepository silences, ObjectMapper mapper,
            TelemetryConfig config, MeterRegistry registry, Vertx vertx, HostResolver resolver) {
        this.deliveries = deliveries;
        this.silences = silences;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notify-groups");
            t.setDaemon(true);
            return t;
        });
        this.mapper = mapper;
        this.config = config.notifications();
        this.registry = registry;
        this.resolver = resolver;
        // Vert.x rather than the JDK client: a request can name the server address to connect to (the one the guard
        // checked) apart from the host it is for (Host header, TLS SNI and certificate check), so there is no second
        // DNS lookup between the check and the connection. Redirects are never followed.
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) this.config.timeout().toMillis())
                .setVerifyHost(true)
                .setKeepAlive(false));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(this.config.workers(), r -> {
            Thread t = new Thread(r, "notify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands an alert event to every enabled subscription that wants it; returns at once. A silence in force that
     * matches the alert's kind, agent and severity stops it here (the alert itself is recorded regardless). Events of
     * one kind and agent inside the group interval go out as one message (see {@link #group}).
     */
    public void dispatch(EventEnvelope event, Severity severity) {
        workers.execute(() -> {
            try {
                String kind = str(event.data().get("kind"));
                String agentId = str(event.data().get("agentId"));
                Optional<String> silence = silences.matching(kind, agentId, severity).await().atMost(Duration.ofSeconds(10));
                if (silence.isPresent()) {
                    registry.counter("telemetry_notifications_silenced_total").increment();
                    LOG.infof("%s %s (kind %s, agentId %s) not notified: silence %s", event.type(),
                            event.data().get("alertId"), kind, agentId, silence.get());
                    return;
                }
                group(kind + "|" + (agentId == null ? "" : agentId), event, severity);
            } catch (RuntimeException e) {
                LOG.warnf("could not dispatch %s %s: %s", event.type(), event.id(), e.toString());
            }
        });
    }

    /** Alerts of one kind and agent waiting for their group interval to end. */
    private static final class Group {
        final Instant opened = Instant.now();
        final List<EventEnvelope> held = new ArrayList<>();
        Severity severity;
    }

    /**
     * The first event of a kind and agent goes out at once and opens a group for {@code group-interval}; later events
     * inside it are held and leave as one message when it ends (the latest event, with {@code groupedCount} and every
     * held {@code alertId}). Groups live in this replica's memory: a restart sends what it held no more.
     */
    private void group(String key, EventEnvelope event, Severity severity) {
        Duration interval = config.groupInterval();
        boolean first;
        synchronized (groups) {
            Group g = groups.get(key);
            first = g == null || Duration.between(g.opened, Instant.now()).compareTo(interval) >= 0;
            if (first) {
                groups.put(key, new Group());
                flusher.schedule(() -> flush(key), interval.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                g.held.add(event);
                g.severity = g.severity == null || severity.atLeast(g.severity) ? severity : g.severity;
            }
        }
        if (first) {
            send(event, severity);
        }
    }

    private void flush(String key) {
        Group g;
        synchronized (groups) {
            g = groups.remove(key);
        }
        if (g == null || g.held.isEmpty()) {
            return;
        }
        EventEnvelope last = g.held.get(g.held.size() - 1);
        Map<String, Object> data = new LinkedHashMap<>(last.data());
        data.put("groupedCount", g.held.size());
        data.put("alertIds", g.held.stream().map(e -> e.data().get("alertId")).distinct().toList());
        EventEnvelope digest = new EventEnvelope(last.id(), last.type(), last.source(), last.subject(), last.time(), data);
        workers.execute(() -> send(digest, g.severity));
    }

    private void send(EventEnvelope event, Severity severity) {
        try {
            List<Subscription> targets = deliveries.targets().await().atMost(Duration.ofSeconds(10));
            for (Subscription s : targets) {
                if (s.matches(event.type(), severity)) {
                    workers.execute(() -> deliver(s, event, severity));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not dispatch %s %s: %s", event.type(), event.id(), e.toString());
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Delivers synchronously (caller must not be an event-loop thread) and returns the logged delivery. */
    public Delivery deliver(Subscription s, EventEnvelope event, Severity severity) {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Integer> lastStatus = new AtomicReference<>();
        String body;
        try {
            body = switch (s.kind()) {
                case WEBHOOK -> mapper.writeValueAsString(event);
                case SLACK -> mapper.writeValueAsString(Payloads.slack(event, severity));
                case PAGERDUTY -> mapper.writeValueAsString(Payloads.pagerDuty(event, severity, s.secret()));
            };
        } catch (JsonProcessingException e) {
            return record(s, event, false, 0, null, "could not build request: " + e.getMessage());
        }
        String finalBody = body;
        try {
            guard(s).call(() -> {
                // resolved and checked at every attempt; the connection goes to the checked address
                UrlGuard.Target target;
                try {
                    target = UrlGuard.check(s.url(), config.denyPrivateAddresses(),
                            config.allowedHosts().orElse(List.of()), resolver);
                } catch (ProblemException refused) {
                    throw new TargetRefused(refused.getMessage());
                }
                attempts.incrementAndGet();
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                headers.put("User-Agent", "trustplane-telemetry");
                if (s.kind() == SubscriptionKind.WEBHOOK) {
                    // signed per attempt so the timestamp is fresh for the receiver's replay window
                    headers.put(WebhookSigner.HEADER,
                            WebhookSigner.signature(s.secret(), Instant.now().getEpochSecond(), finalBody));
                    headers.put("X-Webhook-Id", event.id());
                }
                int status = send(target, headers, finalBody);
                lastStatus.set(status);
                if (status / 100 != 2) {
                    throw new DeliveryFailed(status);
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
            if (e instanceof TargetRefused) {
                // no status, no connection error: what the target would have said is not the admin's to learn
                return record(s, event, false, attempts.get(), null, "refused: the URL " + UrlGuard.NOT_ALLOWED
                        .replace("resolves", "now resolves"));
            }
            return record(s, event, false, attempts.get(), lastStatus.get(), e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    /** One POST to the checked address, for the URL's host; answers the status once the response has ended. */
    private int send(UrlGuard.Target target, Map<String, String> headers, String body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host()).setPort(target.port()).setSsl(target.https()).setURI(target.requestUri())
                .setFollowRedirects(false).setTimeout(config.timeout().toMillis());
        headers.forEach(options::putHeader);
        try {
            return http.request(options)
                    .compose(request -> request.send(Buffer.buffer(body)))
                    .compose(NotificationService::statusOnceEnded)
                    .toCompletionStage().toCompletableFuture()
                    .get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * The status once the response has ended. This runs on another context than the connection's (the send starts on a
     * worker thread), so a body-less response can have ended before {@code end()} is called, which then throws
     * {@code IllegalStateException} (Vert.x's "already ended"): the response is complete and its status final, so
     * that is a delivery, not a failure to retry — retried, the receiver got the POST twice (about once in 30 000
     * sends to a local receiver; once in CI).
     */
    static Future<Integer> statusOnceEnded(HttpClientResponse response) {
        try {
            return response.end().map(end -> response.statusCode());
        } catch (IllegalStateException alreadyEnded) {
            return Future.succeededFuture(response.statusCode());
        }
    }

    private Delivery record(Subscription s, EventEnvelope event, boolean ok, int attempts, Integer status, String error) {
        Delivery d = deliveries.record(UUID.fromString(s.id()), event.id(), event.type(), ok, attempts, status,
                error, config.disableAfter()).await().atMost(Duration.ofSeconds(10));
        if (!ok) {
            deliveries.find(UUID.fromString(s.id())).await().atMost(Duration.ofSeconds(10))
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
                    .abortOn(TargetRefused.class)
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
        flusher.shutdownNow();
        workers.shutdown();
        http.close();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

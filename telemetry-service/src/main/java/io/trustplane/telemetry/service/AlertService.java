package io.trustplane.telemetry.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.telemetry.repository.AlertRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Opens, deduplicates and moves alerts through their lifecycle. Every state change is stored with its history in
 * one transaction, then announced as {@code alert.created|updated|resolved} on {@code tp:events}, anchored on
 * {@code tp:anchor}, and handed to the notifier.
 */
@ApplicationScoped
public class AlertService {

    private static final Logger LOG = Logger.getLogger(AlertService.class);
    static final String SYSTEM_ACTOR = "telemetry-service";

    private final Pool pool;
    private final AlertRepository alerts;
    private final EventPublisher publisher;
    private final NotificationService notifier;
    private final MeterRegistry registry;

    public AlertService(Pool pool, AlertRepository alerts, EventPublisher publisher, NotificationService notifier,
            MeterRegistry registry) {
        this.pool = pool;
        this.alerts = alerts;
        this.publisher = publisher;
        this.notifier = notifier;
        this.registry = registry;
    }

    /** Raises in its own transaction and announces a newly opened alert. */
    public Uni<AlertRepository.Raised> raise(NewAlert alert) {
        return alerts.raise(alert, SYSTEM_ACTOR).invoke(this::announce);
    }

    /** Announces a raise that was stored inside another transaction (after that transaction committed). */
    public void announce(AlertRepository.Raised raised) {
        if (raised.created()) {
            Alert a = raised.alert();
            registry.counter("telemetry_alerts_opened_total", "source", a.source(), "severity", a.severity().name())
                    .increment();
            LOG.infof("alert %s opened: %s (fingerprint %s, agentId %s)", a.id(), a.title(), a.fingerprint(),
                    a.agentId());
            emit(a, null, AlertStatus.ACTIVE, SYSTEM_ACTOR, a.title());
        }
    }

    /** Moves an alert; 404 if unknown, 409 if the lifecycle does not allow the move. */
    public Uni<Alert> transition(UUID id, AlertStatus to, String actor, String reason) {
        return pool.withTransaction(conn -> alerts.find(conn, id, true).flatMap(found -> {
            Alert current = found.orElseThrow(() -> ProblemException.notFound("alert", id.toString()));
            if (!current.status().canMoveTo(to)) {
                throw ProblemException.conflict("invalid_transition",
                        "an alert in status " + current.status() + " cannot move to " + to)
                        .with("currentStatus", current.status().name());
            }
            return alerts.updateStatus(conn, id, to)
                    .call(() -> alerts.history(conn, id, current.status(), to, actor, reason))
                    .map(updated -> Map.entry(current.status(), updated));
        })).flatMap(moved -> {
            Alert updated = moved.getValue();
            LOG.infof("alert %s moved %s -> %s by %s", id, moved.getKey(), to, actor);
            emit(updated, moved.getKey(), to, actor, reason);
            return alerts.findWithHistory(id).map(o -> o.orElse(updated));
        });
    }

    private void emit(Alert a, AlertStatus from, AlertStatus to, String actor, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("alertId", a.id());
        data.put("fingerprint", a.fingerprint());
        data.put("source", a.source());
        data.put("kind", a.kind());
        data.put("severity", a.severity().name());
        data.put("title", a.title());
        if (from != null) {
            data.put("from", from.name());
        }
        data.put("status", to.name());
        data.put("actor", actor);
        if (reason != null) {
            data.put("reason", reason);
        }
        if (a.agentId() != null) {
            data.put("agentId", a.agentId());
        }
        EventEnvelope envelope = publisher.envelope(to.eventType(), a.agentId(), data);
        publisher.fire(Streams.EVENTS, envelope);
        publisher.fire(Streams.ANCHOR, envelope);
        notifier.dispatch(envelope, a.severity());
    }
}

package io.trustplane.telemetry.service;

import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.domain.alert.AlertStatus;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.alert.NewAlert;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.telemetry.domain.alert.Raised;
import io.trustplane.telemetry.repository.AlertRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final IdempotentTransactions transactions;
    private final AlertRepository alerts;
    private final EventPublisher publisher;
    private final NotificationService notifier;
    private final MeterRegistry registry;
    private final Outbox outbox;

    public AlertService(Pool pool, AlertRepository alerts, EventPublisher publisher, NotificationService notifier,
            MeterRegistry registry, Outbox outbox, IdempotentTransactions transactions) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.pool = pool;
        this.alerts = alerts;
        this.publisher = publisher;
        this.notifier = notifier;
        this.registry = registry;
    }

    /** A raise and, when it opened a new alert, the alert.created event written with it. */
    public record Announced(Raised raised, Outbox.Pending event) {
    }

    /** Raises inside {@code conn}'s transaction; a newly opened alert's event goes to the outbox in it. */
    public Uni<Announced> raise(SqlClient conn, NewAlert alert) {
        return alerts.raise(conn, alert, SYSTEM_ACTOR).flatMap(r -> {
            if (!r.created()) {
                return Uni.createFrom().item(new Announced(r, null));
            }
            Outbox.Pending event = event(r.alert(), null, AlertStatus.ACTIVE, SYSTEM_ACTOR, r.alert().title());
            return outbox.write(conn, event).replaceWith(new Announced(r, event));
        });
    }

    /** Raises in its own transaction and announces a newly opened alert. */
    public Uni<Raised> raise(NewAlert alert) {
        return pool.withTransaction(conn -> raise(conn, alert)).invoke(this::announce).map(Announced::raised);
    }

    /** Announces a raise whose transaction committed: counts it, relays its event now, notifies subscribers. */
    public void announce(Announced announced) {
        if (announced.event() == null) {
            return;
        }
        Alert a = announced.raised().alert();
        registry.counter("telemetry_alerts_opened_total", "source", a.source(), "severity", a.severity().name())
                .increment();
        LOG.infof("alert %s opened: %s (fingerprint %s, agentId %s)", a.id(), a.title(), a.fingerprint(), a.agentId());
        outbox.committed();
        notifier.dispatch(publisher.codec().envelope(announced.event()), a.severity());
    }

    /** Moves an alert; 404 if unknown, 409 if the lifecycle does not allow the move. */
    public Uni<Alert> transition(UUID id, AlertStatus to, String actor, String reason) {
        return transactions.withTransaction(pool, conn -> alerts.find(conn, id, true).flatMap(found -> {
            Alert current = found.orElseThrow(() -> ProblemException.notFound("alert", id.toString()));
            if (!current.status().canMoveTo(to)) {
                throw ProblemException.conflict("invalid_transition",
                        "an alert in status " + current.status() + " cannot move to " + to)
                        .with("currentStatus", current.status().name());
            }
            // the answer (with its history) is read in the transaction: with an Idempotency-Key it commits later
            return alerts.updateStatus(conn, id, to)
                    .call(() -> alerts.history(conn, id, current.status(), to, actor, reason))
                    .flatMap(updated -> {
                        Outbox.Pending event = event(updated, current.status(), to, actor, reason);
                        return outbox.write(conn, event).chain(() -> alerts.withHistory(conn, id, updated))
                                .map(answer -> Map.entry(event, answer));
                    });
        })).map(moved -> {
            Alert updated = moved.getValue();
            LOG.infof("alert %s moved to %s by %s", id, to, actor);
            transactions.afterCommit(() -> {
                outbox.committed();
                notifier.dispatch(publisher.codec().envelope(moved.getKey()), updated.severity());
            });
            return updated;
        });
    }

    /** Newest first, keyset on the time-ordered id: {@code cursor} is the last id of the previous page. */
    public Uni<List<Alert>> list(AlertStatus status, Severity severity, String agentId, UUID cursor, int limit) {
        return alerts.list(status, severity, agentId, cursor, limit);
    }

    /** One alert with its history, if it exists. */
    public Uni<Optional<Alert>> find(UUID id) {
        return alerts.findWithHistory(id);
    }

    /** The event of an alert entering status {@code to} (anchored; also the webhook payload). */
    private static Outbox.Pending event(Alert a, AlertStatus from, AlertStatus to, String actor, String reason) {
        String id = a.id().toString();
        String f = from == null ? null : from.name();
        String agent = a.agentId() == null || a.agentId().isEmpty() ? null : a.agentId();
        DomainEvent e = switch (to) {
            case ACTIVE -> new DomainEvent.AlertCreated(id, a.fingerprint(), a.source(), a.kind(), a.severity().name(),
                    a.title(), f, to.name(), actor, reason, agent);
            case INVESTIGATING -> new DomainEvent.AlertUpdated(id, a.fingerprint(), a.source(), a.kind(),
                    a.severity().name(), a.title(), f, to.name(), actor, reason, agent);
            case RESOLVED, FALSE_POSITIVE -> new DomainEvent.AlertResolved(id, a.fingerprint(), a.source(), a.kind(),
                    a.severity().name(), a.title(), f, to.name(), actor, reason, agent);
        };
        return Outbox.event(a.agentId(), e);
    }
}

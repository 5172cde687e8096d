package io.trustplane.telemetry.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.StreamConsumer;
import io.trustplane.telemetry.repository.AlertRepository;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.repository.CounterRow;
import io.trustplane.telemetry.repository.IngestRepository;
import io.trustplane.telemetry.service.AlertService;
import io.trustplane.telemetry.service.EventEffects;
import io.trustplane.telemetry.service.EventInterpreter;
import io.trustplane.telemetry.service.GamingService;
import io.trustplane.telemetry.service.RuleEngine;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one consumed event: in a single transaction it records the event id in {@code processed_events} and
 * writes the event's effects (counters, score history, inventory, gate-reported gaming alerts), so a redelivered
 * event changes nothing. Only after the commit are rules and detectors told what changed.
 */
@ApplicationScoped
public class EventIngestor {

    /** Event types whose Prometheus counter carries the type as a label; anything else is "other". */
    private static final Set<String> KNOWN_TYPES = Set.of("lease.acquired", "lease.released", "lease.expired",
            "lease.contended", "phase.transitioned", "phase.skip_attempted", "phase.backtracked",
            "phase.validation_failed", "evidence_gate.failed", "prompt.drift_detected", "role_gate.allowed",
            "role_gate.denied", "role_gate.escalated", "escalation.decided", "ceiling.warning", "ceiling.breach",
            "provenance.created", "checkpoint.published", "alert.created", "alert.updated", "alert.resolved",
            "rollout.created", "rollout.advanced", "rollout.rolled_back", "rollout.metrics", "gaming.signal");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool pool;
    private final IngestRepository ingest;
    private final CounterRepository counters;
    private final AlertRepository alertRepository;
    private final AlertService alerts;
    private final RuleEngine rules;
    private final GamingService gaming;
    private final MeterRegistry registry;

    public EventIngestor(Pool pool, IngestRepository ingest, CounterRepository counters,
            AlertRepository alertRepository, AlertService alerts, RuleEngine rules, GamingService gaming,
            MeterRegistry registry) {
        this.pool = pool;
        this.ingest = ingest;
        this.counters = counters;
        this.alertRepository = alertRepository;
        this.alerts = alerts;
        this.rules = rules;
        this.gaming = gaming;
        this.registry = registry;
    }

    /** One event with its interpreted effects, ready to apply. */
    private record Pending(String id, String type, EventEffects fx, OffsetDateTime at) {

        static Pending of(String entryId, EventEnvelope event) {
            String id = event.id() == null || event.id().isBlank() ? "stream:" + entryId : event.id();
            String type = event.type() == null ? "unknown" : event.type();
            return new Pending(id, type, EventInterpreter.interpret(event),
                    event.time() == null ? null : event.time().atOffset(ZoneOffset.UTC));
        }
    }

    /** Applies one event; blocks its (consumer) thread until the effect is committed. */
    public void handle(String entryId, EventEnvelope event) {
        handleBatch(List.of(new StreamConsumer.Delivery(entryId, event)));
    }

    /**
     * The stream handler: applies a whole batch in one transaction (one commit instead of one per event), then
     * tells rules and detectors what changed. A redelivered event is recognised by its id and changes nothing.
     * The batch costs two statements for its ids and counters together (most events are counters only), plus one
     * per other effect (score, inventory, lease, rollout, gaming alert), applied in the batch's order.
     */
    public void handleBatch(List<StreamConsumer.Delivery> batch) {
        List<Pending> pending = batch.stream().map(d -> Pending.of(d.entryId(), d.event())).toList();
        Applied applied = pool.withTransaction(conn -> ingest.markProcessed(conn,
                pending.stream().map(Pending::id).toList(), pending.stream().map(Pending::type).toList())
                .flatMap(freshIds -> {
                    // a repeated id within the batch is fresh only the first time
                    Set<String> unseen = new HashSet<>(freshIds);
                    List<Pending> fresh = pending.stream().filter(p -> unseen.remove(p.id())).toList();
                    List<CounterRow> rows = new ArrayList<>();
                    fresh.forEach(p -> rows.addAll(counterRows(p.at(), p.fx())));
                    Uni<List<AlertRepository.Raised>> chain = counters.add(conn, rows).replaceWith(ArrayList::new);
                    for (Pending p : fresh) {
                        chain = chain.flatMap(raised -> apply(conn, p.id(), p.at(), p.fx()).map(r -> {
                            r.ifPresent(raised::add);
                            return raised;
                        }));
                    }
                    return chain.map(raised -> new Applied(pending.size() - fresh.size(), raised));
                })).await().atMost(WAIT);
        if (applied.duplicates() > 0) {
            registry.counter("telemetry_events_duplicate_total").increment(applied.duplicates());
        }
        for (Pending p : pending) {
            registry.counter("telemetry_events_ingested_total", "type", KNOWN_TYPES.contains(p.type()) ? p.type() : "other")
                    .increment();
            p.fx().increments().forEach(i -> rules.touched(i.name()));
            if (p.fx().agentId() != null && (p.fx().score().isPresent()
                    || p.fx().increments().stream().anyMatch(EventEffects.Increment::perAgent))) {
                gaming.touched(p.fx().agentId());
            }
        }
        applied.raised().forEach(alerts::announce);
    }

    /** What a committed batch did: how many of its events were seen before, and the alerts it raised. */
    private record Applied(int duplicates, List<AlertRepository.Raised> raised) {
    }

    private static List<CounterRow> counterRows(OffsetDateTime at, EventEffects fx) {
        List<CounterRow> rows = new ArrayList<>();
        for (EventEffects.Increment i : fx.increments()) {
            rows.add(new CounterRow(i.name(), "", at, i.value()));
            if (i.perAgent() && fx.agentId() != null) {
                rows.add(new CounterRow(i.name(), fx.agentId(), at, i.value()));
            }
        }
        return rows;
    }

    /** The event's effects other than counters (written for the whole batch at once), one statement each. */
    private Uni<Optional<AlertRepository.Raised>> apply(SqlConnection conn, String id, OffsetDateTime at,
            EventEffects fx) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        String agent = fx.agentId();
        if (agent != null && fx.score().isPresent()) {
            chain = chain.call(() -> ingest.score(conn, agent, at, fx.score().get(), id));
        }
        if (agent != null && (fx.score().isPresent() || fx.tier().isPresent())) {
            chain = chain.call(() -> ingest.agentSeen(conn, agent, fx.tier().orElse(null), fx.score().orElse(null)));
        }
        if (fx.leaseAcquired().isPresent()) {
            chain = chain.call(() -> ingest.leaseAcquired(conn, fx.leaseAcquired().get()));
        }
        if (fx.leaseEnded().isPresent()) {
            chain = chain.call(() -> ingest.leaseEnded(conn, fx.leaseEnded().get()));
        }
        if (fx.logSize().isPresent()) {
            chain = chain.call(() -> ingest.logSize(conn, fx.logSize().get()));
        }
        if (fx.rollout().isPresent()) {
            EventEffects.RolloutChange r = fx.rollout().get();
            chain = chain.call(() -> ingest.rollout(conn, r.flag(), r.percent(), r.active()));
        }
        if (fx.rolloutSample().isPresent()) {
            EventEffects.RolloutSample s = fx.rolloutSample().get();
            chain = chain.call(() -> ingest.rolloutSample(conn, s.flag(), s.cohort(), at, s.requests(), s.errors(),
                    s.p95LatencyMs(), id));
        }
        if (agent != null && fx.gamingSignal().isPresent()) {
            EventEffects.GamingSignal g = fx.gamingSignal().get();
            return chain.flatMap(v -> alertRepository.raise(conn,
                    GamingService.signal(g.type(), agent, g.reason(), "gaming.signal"), "telemetry-service"))
                    .map(Optional::of);
        }
        return chain.replaceWith(Optional.empty());
    }
}

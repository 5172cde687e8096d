package io.trustplane.telemetry.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventCodec;
import io.trustplane.common.events.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.StreamConsumer;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.domain.ingest.CounterRow;
import io.trustplane.telemetry.repository.IngestRepository;
import io.trustplane.telemetry.service.AlertService;
import io.trustplane.telemetry.domain.ingest.EventEffects;
import io.trustplane.telemetry.domain.ingest.EventInterpreter;
import io.trustplane.telemetry.service.GamingService;
import io.trustplane.telemetry.service.RuleEngine;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

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

    /** The type label of events outside the catalogue (bounded label values: the catalogue's names and this). */
    private static final String OTHER = "other";
    private static final java.util.regex.Pattern PLAIN_TYPE = java.util.regex.Pattern.compile("[a-z0-9_.-]{1,100}");
    private static final Logger LOG = Logger.getLogger(EventIngestor.class);

    private final Pool pool;
    private final IngestRepository ingest;
    private final CounterRepository counters;
    private final AlertService alerts;
    private final RuleEngine rules;
    private final GamingService gaming;
    private final MeterRegistry registry;
    private final EventCodec codec;
    private final Counter unknown;
    private final Counter malformed;
    private final Duration wait;

    public EventIngestor(Pool pool, IngestRepository ingest, CounterRepository counters,
            AlertService alerts, RuleEngine rules, GamingService gaming,
            MeterRegistry registry, EventPublisher publisher, TelemetryConfig config) {
        this.wait = config.ingest().writeTimeout();
        this.pool = pool;
        this.ingest = ingest;
        this.counters = counters;
        this.alerts = alerts;
        this.rules = rules;
        this.gaming = gaming;
        this.registry = registry;
        this.codec = publisher.codec();
        this.unknown = registry.counter("telemetry_events_unknown_total");
        this.malformed = registry.counter("telemetry_events_malformed_total");
    }

    /** One event with its interpreted effects, ready to apply. */
    private record Pending(String id, String type, EventEffects fx, OffsetDateTime at) {
    }

    /**
     * Decodes an entry into its catalogue record and interprets it. A type this build does not know (a newer
     * producer) or data that does not fit its record is counted and skipped: its id is still recorded, so it is
     * acknowledged and never retried, and it has no effect.
     */
    private Pending pending(String entryId, EventEnvelope event) {
        String id = event.id() == null || event.id().isBlank() ? "stream:" + entryId : event.id();
        OffsetDateTime at = event.time() == null ? null : event.time().atOffset(ZoneOffset.UTC);
        Optional<DomainEvent> decoded;
        try {
            decoded = codec.decode(event);
        } catch (IllegalArgumentException e) {
            malformed.increment();
            LOG.warnf("event %s of type %s does not fit its record; skipped: %s", id, event.type(), e.getMessage());
            return new Pending(id, OTHER, EventEffects.none(null), at);
        }
        if (decoded.isEmpty()) {
            // counted under events.<type> like every event (a plain name only), with no other effect
            unknown.increment();
            LOG.debugf("event %s has a type this build does not know (%s); counted and skipped", id, event.type());
            boolean plain = event.type() != null && PLAIN_TYPE.matcher(event.type()).matches();
            return new Pending(id, OTHER, plain ? new EventEffects(List.of(new EventEffects.Increment("events."
                    + event.type(), 1, false)), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), null)
                    : EventEffects.none(null), at);
        }
        return new Pending(id, decoded.get().eventType().wireName(), EventInterpreter.interpret(event, decoded.get()),
                at);
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
        List<Pending> pending = batch.stream().map(d -> pending(d.entryId(), d.event())).toList();
        Applied applied = pool.withTransaction(conn -> ingest.markProcessed(conn,
                pending.stream().map(Pending::id).toList(), pending.stream().map(Pending::type).toList())
                .flatMap(freshIds -> {
                    // a repeated id within the batch is fresh only the first time
                    Set<String> unseen = new HashSet<>(freshIds);
                    List<Pending> fresh = pending.stream().filter(p -> unseen.remove(p.id())).toList();
                    List<CounterRow> rows = new ArrayList<>();
                    fresh.forEach(p -> rows.addAll(counterRows(p.at(), p.fx())));
                    Uni<List<AlertService.Announced>> chain = counters.add(conn, rows).replaceWith(ArrayList::new);
                    for (Pending p : fresh) {
                        chain = chain.flatMap(raised -> apply(conn, p.id(), p.at(), p.fx()).map(r -> {
                            r.ifPresent(raised::add);
                            return raised;
                        }));
                    }
                    return chain.map(raised -> new Applied(pending.size() - fresh.size(), raised));
                })).await().atMost(wait);
        if (applied.duplicates() > 0) {
            registry.counter("telemetry_events_duplicate_total").increment(applied.duplicates());
        }
        for (Pending p : pending) {
            registry.counter("telemetry_events_ingested_total", "type", p.type()).increment();
            p.fx().increments().forEach(i -> rules.touched(i.name()));
            if (p.fx().agentId() != null && (p.fx().score().isPresent()
                    || p.fx().increments().stream().anyMatch(EventEffects.Increment::perAgent))) {
                gaming.touched(p.fx().agentId());
            }
        }
        applied.raised().forEach(alerts::announce);
    }

    /** What a committed batch did: how many of its events were seen before, and the alerts it raised. */
    private record Applied(int duplicates, List<AlertService.Announced> raised) {
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
    private Uni<Optional<AlertService.Announced>> apply(SqlConnection conn, String id, OffsetDateTime at,
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
        if (agent != null && fx.alert().isPresent()) {
            return chain.flatMap(v -> alerts.raise(conn, fx.alert().get())).map(Optional::of);
        }
        if (agent != null && fx.gamingSignal().isPresent()) {
            EventEffects.GamingSignal g = fx.gamingSignal().get();
            return chain.flatMap(v -> alerts.raise(conn, GamingService.signal(g.type(), agent, g.reason(),
                    "gaming.signal"))).map(Optional::of);
        }
        return chain.replaceWith(Optional.empty());
    }
}

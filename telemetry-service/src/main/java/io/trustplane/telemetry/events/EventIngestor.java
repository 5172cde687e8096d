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
import io.trustplane.telemetry.domain.alert.NewAlert;
import io.trustplane.telemetry.domain.ingest.BatchEffects;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Counter duplicates;
    /** Per event type (the catalogue's names and "other": a bounded set), looked up once. */
    private final Map<String, Counter> ingested = new ConcurrentHashMap<>();
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
        this.duplicates = registry.counter("telemetry_events_duplicate_total");
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
     * After the statement that records the ids, the batch's effects go out as one statement per kind (counters
     * summed per bucket, scores, agents, leases, log size, rollout samples) plus one per rollout change, all
     * pipelined on the connection without waiting for each other; the rare alerts follow one after the other.
     */
    public void handleBatch(List<StreamConsumer.Delivery> batch) {
        List<Pending> pending = batch.stream().map(d -> pending(d.entryId(), d.event())).toList();
        Applied applied = pool.withTransaction(conn -> ingest.markProcessed(conn,
                pending.stream().map(Pending::id).toList(), pending.stream().map(Pending::type).toList())
                .flatMap(freshIds -> {
                    // a repeated id within the batch is fresh only the first time
                    Set<String> unseen = new HashSet<>(freshIds);
                    List<Pending> fresh = pending.stream().filter(p -> unseen.remove(p.id())).toList();
                    return write(conn, fresh).flatMap(v -> raiseAlerts(conn, fresh))
                            .map(raised -> new Applied(pending.size() - fresh.size(), raised));
                })).await().atMost(wait);
        if (applied.duplicates() > 0) {
            duplicates.increment(applied.duplicates());
        }
        Map<String, Integer> perType = new HashMap<>();
        Set<String> names = new HashSet<>();
        Set<String> agents = new HashSet<>();
        for (Pending p : pending) {
            perType.merge(p.type(), 1, Integer::sum);
            p.fx().increments().forEach(i -> names.add(i.name()));
            if (p.fx().agentId() != null && (p.fx().score().isPresent()
                    || p.fx().increments().stream().anyMatch(EventEffects.Increment::perAgent))) {
                agents.add(p.fx().agentId());
            }
        }
        perType.forEach((type, n) -> ingested.computeIfAbsent(type,
                t -> registry.counter("telemetry_events_ingested_total", "type", t)).increment(n));
        names.forEach(rules::touched);
        agents.forEach(gaming::touched);
        applied.raised().forEach(alerts::announce);
    }

    /** What a committed batch did: how many of its events were seen before, and the alerts it raised. */
    private record Applied(int duplicates, List<AlertService.Announced> raised) {
    }

    /**
     * The fresh events' effects other than alerts. The statements touch different rows or tables, except the
     * rollout changes, which the connection runs in the order they are sent (batch order).
     */
    private Uni<Void> write(SqlConnection conn, List<Pending> fresh) {
        BatchEffects fx = BatchEffects.of(fresh.stream().map(p -> new BatchEffects.Event(p.id(), p.at(), p.fx()))
                .toList());
        List<Uni<Void>> writes = new ArrayList<>();
        writes.add(counters.add(conn, fx.counters()));
        writes.add(ingest.scores(conn, fx.scores()));
        writes.add(ingest.agentsSeen(conn, fx.agents()));
        writes.add(ingest.leasesAcquired(conn, fx.leasesAcquired()));
        writes.add(ingest.leasesEnded(conn, fx.leasesEnded()));
        fx.logSize().ifPresent(size -> writes.add(ingest.logSize(conn, size)));
        fx.rollouts().forEach(r -> writes.add(ingest.rollout(conn, r.flag(), r.percent(), r.active())));
        writes.add(ingest.rolloutSamples(conn, fx.samples()));
        return Uni.combine().all().unis(writes).discardItems();
    }

    /** The alerts the fresh events raise (containments, gate-reported gaming), in batch order. */
    private Uni<List<AlertService.Announced>> raiseAlerts(SqlConnection conn, List<Pending> fresh) {
        Uni<List<AlertService.Announced>> chain = Uni.createFrom().item(ArrayList::new);
        for (Pending p : fresh) {
            String agent = p.fx().agentId();
            if (agent == null) {
                continue;
            }
            NewAlert alert = p.fx().alert().orElseGet(() -> p.fx().gamingSignal().map(g -> GamingService.signal(
                    g.type(), agent, g.reason(), "gaming.signal")).orElse(null));
            if (alert != null) {
                chain = chain.flatMap(raised -> alerts.raise(conn, alert).map(a -> {
                    raised.add(a);
                    return raised;
                }));
            }
        }
        return chain;
    }
}

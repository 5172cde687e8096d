package io.trustplane.telemetry.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.client.ProvenanceClient;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.domain.ingest.Series;
import io.trustplane.telemetry.repository.AlertRepository;
import io.trustplane.telemetry.repository.SeriesRepository;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.repository.StatsRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 002's dashboard figures, computed at most once per {@code cache-ttl} (Mutiny memoization: concurrent callers
 * share one computation, every other call is served from memory). The log size comes from provenance-service's
 * checkpoint when reachable, otherwise from the last {@code checkpoint.published} event; the other figures are
 * derived from consumed events.
 */
@ApplicationScoped
public class StatsService {

    static final int DAY_SECONDS = 86_400;

    /** The figures, and where each came from. */
    public record Stats(Map<String, Long> agentsByTier, Map<String, Long> decisions24h, Map<String, Long> ceilings24h,
            Map<String, Long> activeAlertsBySeverity, Long logSize, long activeLeases, Map<String, String> sources,
            Instant generatedAt, long cacheTtlSeconds) {
    }

    private final StatsRepository stats;
    private final CounterRepository counters;
    private final AlertRepository alerts;
    private final SeriesRepository series;
    private final TelemetryConfig.Stats config;
    private final ProvenanceClient provenance;
    private final Uni<Stats> cached;

    public StatsService(StatsRepository stats, CounterRepository counters, AlertRepository alerts,
            SeriesRepository series, TelemetryConfig config, @RestClient ProvenanceClient provenance) {
        this.series = series;
        this.stats = stats;
        this.counters = counters;
        this.alerts = alerts;
        this.config = config.stats();
        this.provenance = provenance;
        this.cached = Uni.createFrom().deferred(this::compute).memoize().atLeast(this.config.cacheTtl());
    }

    public Uni<Stats> stats() {
        return cached;
    }

    /** The global counters {@code names} per step of {@code stepSeconds} over the last {@code windowSeconds}. */
    public Uni<Series> series(List<String> names, long windowSeconds, long stepSeconds) {
        return series.series(names, windowSeconds, stepSeconds);
    }

    Uni<Stats> compute() {
        Uni<Map<String, Long>> decisions = counters.sums(List.of("role_gate_allowed", "role_gate_denied",
                "role_gate_escalated", "escalations_decided"), "", DAY_SECONDS);
        Uni<Map<String, Long>> ceilings = counters.sums(List.of("ceiling_warning", "ceiling_breach"), "", DAY_SECONDS);
        return Uni.combine().all().unis(stats.agentsByTier(), decisions, ceilings, alerts.openBySeverity(),
                        stats.activeLeases(), logSize())
                .with((tiers, dec, ceil, open, leases, log) -> {
                    Map<String, String> sources = new LinkedHashMap<>();
                    sources.put("agentsByTier", "events");
                    sources.put("decisions24h", "events");
                    sources.put("ceilings24h", "events");
                    sources.put("activeAlertsBySeverity", "telemetry");
                    sources.put("activeLeases", "events");
                    sources.put("logSize", log.source());
                    return new Stats(tiers, rename(dec), rename(ceil), open, log.size(), leases, sources, Instant.now(),
                            config.cacheTtl().toSeconds());
                });
    }

    private record LogSize(Long size, String source) {
    }

    /** Tree size from provenance's checkpoint (second line of the C2SP note), else from the last event. */
    private Uni<LogSize> logSize() {
        Uni<LogSize> fromEvents = stats.logSize().map(o -> new LogSize(o.orElse(null), "events"));
        Uni<String> checkpoint;
        try {
            checkpoint = provenance.checkpoint();
        } catch (RuntimeException e) {
            return fromEvents;
        }
        return checkpoint.ifNoItem().after(config.remoteTimeout()).fail()
                .map(body -> {
                    String[] lines = body.split("\n");
                    return lines.length > 1 ? new LogSize(Long.parseLong(lines[1].trim()), "provenance-service") : null;
                })
                .onFailure().recoverWithNull()
                .flatMap(remote -> remote != null ? Uni.createFrom().item(remote) : fromEvents);
    }

    private static Map<String, Long> rename(Map<String, Long> counters) {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((k, v) -> out.put(k.replace("role_gate_", "").replace("ceiling_", ""), v));
        return out;
    }
}

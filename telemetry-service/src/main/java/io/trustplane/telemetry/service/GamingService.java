package io.trustplane.telemetry.service;

import io.trustplane.telemetry.domain.alert.NewAlert;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.gaming.GamingDetectors;
import io.trustplane.telemetry.domain.gaming.GamingType;

import io.quarkus.scheduler.Scheduled;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.repository.ScoreRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the gaming detectors for agents whose history changed: trust-score history (RAPID_CHANGE, OSCILLATION),
 * gate denials and ceiling warnings (BOUNDARY_TESTING) and ceiling breaches (CEILING_BREACH). Alerts are per
 * agent and type, deduplicated by fingerprint while open.
 */
@ApplicationScoped
public class GamingService {

    private static final Logger LOG = Logger.getLogger(GamingService.class);

    private final ScoreRepository scores;
    private final CounterRepository counters;
    private final AlertService alerts;
    private final TelemetryConfig.Gaming config;
    private final Duration wait;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();

    public GamingService(ScoreRepository scores, CounterRepository counters, AlertService alerts,
            TelemetryConfig config) {
        this.scores = scores;
        this.counters = counters;
        this.alerts = alerts;
        this.config = config.gaming();
        this.wait = config.storeTimeout();
    }

    public void touched(String agentId) {
        if (agentId != null) {
            dirty.add(agentId);
        }
    }

    @Scheduled(every = "${trustplane.telemetry.rules.evaluate-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void evaluateTouched() {
        List<String> agents = new ArrayList<>(dirty);
        agents.forEach(dirty::remove);
        agents.forEach(this::evaluate);
    }

    /** Runs every detector for one agent; returns the types that fired. */
    public List<GamingType> evaluate(String agentId) {
        List<GamingType> fired = new ArrayList<>();
        try {
            List<Double> rapid = scores.scores(agentId, config.rapidChangeWindow()).await().atMost(wait);
            GamingDetectors.rapidChange(rapid, config.rapidChangeDelta())
                    .ifPresent(f -> raise(fired, GamingType.RAPID_CHANGE, agentId, f));
            List<Double> osc = scores.scores(agentId, config.oscillationWindow()).await().atMost(wait);
            GamingDetectors.oscillation(osc, config.oscillationReversals(), config.oscillationMinStep())
                    .ifPresent(f -> raise(fired, GamingType.OSCILLATION, agentId, f));
            long probes = counters.sum("boundary_probes", agentId, (int) config.boundaryWindow().toSeconds())
                    .await().atMost(wait);
            GamingDetectors.boundaryTesting(probes, config.boundaryProbes())
                    .ifPresent(f -> raise(fired, GamingType.BOUNDARY_TESTING, agentId, f));
            long breaches = counters.sum("ceiling_breach", agentId, (int) config.ceilingBreachWindow().toSeconds())
                    .await().atMost(wait);
            GamingDetectors.ceilingBreach(breaches, config.ceilingBreaches()).ifPresent(f -> {
                fired.add(GamingType.CEILING_BREACH);
                NewAlert a = signal(GamingType.CEILING_BREACH, agentId, f, "detector");
                // one refused request is worth a look, not a page: repetition inside the window makes it HIGH
                Severity severity = breaches >= config.ceilingBreachesHigh() ? Severity.HIGH : Severity.MEDIUM;
                alerts.raise(new NewAlert(a.fingerprint(), a.source(), a.kind(), severity, a.agentId(), a.title(),
                        a.details())).await().atMost(wait);
            });
        } catch (RuntimeException e) {
            LOG.warnf("gaming detection for agentId %s failed: %s", agentId, e.toString());
        }
        return fired;
    }

    private void raise(List<GamingType> fired, GamingType type, String agentId, String finding) {
        fired.add(type);
        alerts.raise(signal(type, agentId, finding, "detector")).await().atMost(wait);
    }

    /** The alert a gaming finding opens (also used for gate-service's own gaming.signal events). */
    public static NewAlert signal(GamingType type, String agentId, String finding, String origin) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("finding", finding);
        details.put("origin", origin);
        return new NewAlert(type.fingerprint(agentId), "GAMING", type.name(), type.severity(), agentId,
                type.name() + " by " + agentId, details);
    }
}

package io.trustplane.telemetry.service;

import io.trustplane.telemetry.domain.alert.AlertRule;
import io.trustplane.telemetry.domain.alert.NewAlert;

import io.quarkus.scheduler.Scheduled;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.repository.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Evaluates alert rules against the windowed counters. Ingest marks the counters it touched; a short-interval
 * pass evaluates only the rules reading those counters (so a burst of events costs one evaluation), and a
 * slower sweep reloads the rules and evaluates all of them.
 */
@ApplicationScoped
public class RuleEngine {

    private static final Logger LOG = Logger.getLogger(RuleEngine.class);

    private final RuleRepository rules;
    private final CounterRepository counters;
    private final AlertService alerts;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicReference<List<AlertRule>> cache = new AtomicReference<>();
    private final long minSample;
    private final Duration wait;

    public RuleEngine(RuleRepository rules, CounterRepository counters, AlertService alerts, TelemetryConfig config) {
        this.minSample = config.rules().minSample();
        this.wait = config.storeTimeout();
        this.rules = rules;
        this.counters = counters;
        this.alerts = alerts;
    }

    /** Called by ingest after the increments committed. */
    public void touched(String counter) {
        dirty.add(counter);
    }

    /** Rules changed (CRUD): reload before the next pass. */
    public void invalidate() {
        cache.set(null);
    }

    @Scheduled(every = "${trustplane.telemetry.rules.evaluate-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void evaluateTouched() {
        if (dirty.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(dirty);
        names.forEach(dirty::remove);
        for (AlertRule rule : rules()) {
            if (rule.enabled() && (names.contains(rule.counter())
                    || (rule.denominator() != null && names.contains(rule.denominator())))) {
                evaluate(rule);
            }
        }
    }

    @Scheduled(every = "${trustplane.telemetry.rules.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "5s")
    void sweep() {
        invalidate();
        evaluateAll();
    }

    /** Evaluates every enabled rule now; returns the ids of the rules that fired. */
    public List<String> evaluateAll() {
        List<String> fired = new ArrayList<>();
        for (AlertRule rule : rules()) {
            if (rule.enabled() && evaluate(rule)) {
                fired.add(rule.id());
            }
        }
        return fired;
    }

    /**
     * Evaluates one rule and raises its alert when it fires. An open alert counts one more occurrence only when the
     * numerator grew since the pass before (see {@link io.trustplane.telemetry.repository.AlertRepository#raise(io.vertx.mutiny.sqlclient.SqlClient, io.trustplane.telemetry.domain.alert.NewAlert, String)}),
     * so passes over the same window add nothing.
     */
    public boolean evaluate(AlertRule rule) {
        try {
            List<String> names = rule.denominator() == null ? List.of(rule.counter())
                    : List.of(rule.counter(), rule.denominator());
            Map<String, Long> sums = counters.sums(names, "", rule.windowSeconds()).await().atMost(wait);
            long numerator = sums.getOrDefault(rule.counter(), 0L);
            long denominator = rule.denominator() == null ? 0 : sums.getOrDefault(rule.denominator(), 0L);
            if (!rule.fires(numerator, denominator, minSample)) {
                return false;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("ruleId", rule.id());
            details.put("ruleVersion", rule.version());
            details.put("counter", rule.counter());
            details.put("value", numerator);
            if (rule.denominator() != null) {
                details.put("denominator", rule.denominator());
                details.put("denominatorValue", denominator);
                details.put("ratio", denominator == 0 ? 0 : (double) numerator / denominator);
                details.put("minSample", Math.max(minSample, rule.minDenominator()));
            }
            details.put("threshold", rule.threshold());
            details.put("windowSeconds", rule.windowSeconds());
            alerts.raise(new NewAlert(rule.fingerprint(), "RULE", rule.id(), rule.severity(), null, rule.name(),
                    details)).await().atMost(wait);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("rule %s could not be evaluated: %s", rule.id(), e.toString());
            return false;
        }
    }

    private List<AlertRule> rules() {
        List<AlertRule> current = cache.get();
        if (current == null) {
            current = rules.forEvaluation().await().atMost(wait);
            cache.set(current);
        }
        return current;
    }
}

package io.trustplane.telemetry.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.client.GateClient;
import io.trustplane.telemetry.domain.rollout.RolloutTriggers;

import io.quarkus.scheduler.Scheduled;
import io.trustplane.telemetry.config.ServicesConfig;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.domain.rollout.RolloutComparison;
import io.trustplane.telemetry.repository.RolloutRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Compares each active rollout's cohort with its control over the window (samples from {@code rollout.metrics}
 * events and from reporters with the service role, {@code POST /v1/rollouts/{flag}/samples}), from its first stage
 * on ({@code rollout.created}), and, when {@link RolloutTriggers} fires, asks gate-service to roll the flag back with the service token.
 */
@ApplicationScoped
public class RolloutGuard {

    private static final Logger LOG = Logger.getLogger(RolloutGuard.class);

    private final RolloutRepository rollouts;
    private final TelemetryConfig.Rollout config;
    private final Duration wait;
    private final ServicesConfig services;
    private final GateClient gate;

    public RolloutGuard(RolloutRepository rollouts, TelemetryConfig config, ServicesConfig services,
            @RestClient GateClient gate) {
        this.rollouts = rollouts;
        this.config = config.rollout();
        this.wait = config.storeTimeout();
        this.services = services;
        this.gate = gate;
    }

    @Scheduled(every = "${trustplane.telemetry.rollout.check-interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.warnf("rollout guard pass failed: %s", e.toString());
        }
    }

    /** Every active rollout's cohort and control over the guard's window, as the next pass will see them. */
    public Uni<List<RolloutComparison>> comparisons() {
        return rollouts.compare(config.window());
    }

    /**
     * One pass; returns the flags whose trigger fired. Passes never overlap (the scheduled one and a manual one
     * would both see a flag still active and roll it back twice).
     */
    public synchronized List<String> checkNow() {
        RolloutTriggers.Limits limits = config.limits();
        return rollouts.compare(config.window()).await().atMost(wait).stream()
                .filter(c -> RolloutTriggers.evaluate(c.percent(), c.cohort(), c.control(), limits).map(reason -> {
                    LOG.warnf("rollout %s at %d%%: %s", c.flag(), c.percent(), reason);
                    if (config.autoRollback()) {
                        rollback(c.flag(), reason);
                    }
                    return true;
                }).orElse(false))
                .map(RolloutComparison::flag)
                .toList();
    }

    private void rollback(String flag, String reason) {
        if (services.token().isEmpty()) {
            LOG.warnf("rollout %s should roll back but trustplane.service-token is not set", flag);
            return;
        }
        try {
            gate.rollback(flag, new GateClient.Rollback("telemetry-rollout-guard", reason));
            rollouts.markRolledBack(flag).await().atMost(wait);
            LOG.infof("rollout %s rolled back through gate-service", flag);
        } catch (Exception e) {
            LOG.warnf("rollback of %s failed: %s (retried next pass)", flag, e.toString());
        }
    }
}

package io.trustplane.telemetry.domain.ingest;

import io.trustplane.telemetry.domain.alert.NewAlert;
import io.trustplane.telemetry.domain.gaming.GamingType;

import java.util.List;
import java.util.Optional;

/**
 * What one consumed event changes in telemetry's store, decided by {@link EventInterpreter} without touching
 * storage: counter increments (global and per agent), a trust-score sample, inventory updates, signals and an alert
 * a producer's event raises on its own (a containment).
 */
public record EventEffects(
        List<Increment> increments,
        Optional<Double> score,
        Optional<String> tier,
        Optional<String> leaseAcquired,
        Optional<String> leaseEnded,
        Optional<Long> logSize,
        Optional<GamingSignal> gamingSignal,
        Optional<RolloutChange> rollout,
        Optional<RolloutSample> rolloutSample,
        Optional<NewAlert> alert,
        String agentId) {

    /** Adds {@code value} to counter {@code name}; {@code perAgent} also adds to the agent's own series. */
    public record Increment(String name, long value, boolean perAgent) {
    }

    /** A producer (gate-service) reported a gaming pattern for an agent. */
    public record GamingSignal(GamingType type, String reason) {
    }

    /** A rollout advanced to a percentage or was rolled back. */
    public record RolloutChange(String flag, int percent, boolean active) {
    }

    /** Request/error/latency figures of one side of a rollout. */
    public record RolloutSample(String flag, boolean cohort, long requests, long errors, double p95LatencyMs) {
    }

    public static EventEffects none(String agentId) {
        return new EventEffects(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), agentId);
    }
}

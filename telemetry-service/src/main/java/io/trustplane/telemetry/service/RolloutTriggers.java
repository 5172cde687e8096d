package io.trustplane.telemetry.service;

import java.util.Optional;

/**
 * Decides whether a rollout's cohort is doing worse than its control enough to roll back (seed 004): the
 * cohort's error rate above the control's by more than an absolute delta, or its p95 latency above the
 * control's times a factor. Too few cohort requests never trigger.
 */
public final class RolloutTriggers {

    private RolloutTriggers() {
    }

    /** Aggregated figures of one side over the guard's window. */
    public record Side(long requests, long errors, double p95LatencyMs) {
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    public record Limits(long minRequests, double maxErrorRateDelta, double maxLatencyRatio) {
    }

    /** The reason to roll back, if any trigger fires. */
    public static Optional<String> evaluate(Side cohort, Side control, Limits limits) {
        if (cohort.requests() < limits.minRequests()) {
            return Optional.empty();
        }
        double delta = cohort.errorRate() - control.errorRate();
        if (delta > limits.maxErrorRateDelta()) {
            return Optional.of(String.format("cohort error rate %.4f exceeds control %.4f by more than %.4f",
                    cohort.errorRate(), control.errorRate(), limits.maxErrorRateDelta()));
        }
        if (control.requests() > 0 && control.p95LatencyMs() > 0
                && cohort.p95LatencyMs() > control.p95LatencyMs() * limits.maxLatencyRatio()) {
            return Optional.of(String.format("cohort p95 latency %.1f ms exceeds control %.1f ms x %.2f",
                    cohort.p95LatencyMs(), control.p95LatencyMs(), limits.maxLatencyRatio()));
        }
        return Optional.empty();
    }
}

package io.trustplane.telemetry.domain.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a rollout's cohort is doing worse than its control enough to roll back (seed 004, "Phase 4A-4D"):
 * below 100 % the cohort's p95 response time above the control's by more than the stage's allowance (+5 % at the
 * 5 % stage, +7 % at 15 %, +8 % at 50 %), or its error rate above the control's by more than an absolute delta
 * (1 percentage point); at 100 % there is no control, and the cohort breaching the SLA (p95, error rate) triggers.
 * Fewer than the minimum samples in an arm the comparison needs never trigger.
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

    /** From {@code percent} on (until the next stage), the cohort's p95 may exceed the control's by this fraction. */
    public record Stage(int percent, double maxLatencyIncrease) {

        /** {@code "5:0.05"}. */
        public static Stage parse(String text) {
            String[] parts = text.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a rollout stage is <percent>:<max latency increase>, not " + text);
            }
            return new Stage(Integer.parseInt(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        }
    }

    /**
     * {@code minRequests}: samples each compared arm needs; {@code maxLatencyRatio}: the p95 factor where no stage
     * applies; {@code slaP95LatencyMs}/{@code slaErrorRate}: the cohort's limits at 100 % (0 = none).
     */
    public record Limits(long minRequests, double maxErrorRateDelta, double maxLatencyRatio, List<Stage> stages,
            double slaP95LatencyMs, double slaErrorRate) {

        public Limits {
            List<Stage> sorted = new ArrayList<>(stages);
            sorted.sort(Comparator.comparingInt(Stage::percent));
            stages = List.copyOf(sorted);
        }

        public Limits(long minRequests, double maxErrorRateDelta, double maxLatencyRatio) {
            this(minRequests, maxErrorRateDelta, maxLatencyRatio, List.of(), 0, 0);
        }

        /** The p95 factor allowed at {@code percent}: the stage it is in, else {@code maxLatencyRatio}. */
        public double latencyRatio(int percent) {
            double ratio = maxLatencyRatio;
            for (Stage s : stages) {
                if (percent >= s.percent()) {
                    ratio = 1 + s.maxLatencyIncrease();
                }
            }
            return ratio;
        }
    }

    /** The reason to roll back a stage below 100 %, if any trigger fires (no stage known: the factor applies). */
    public static Optional<String> evaluate(Side cohort, Side control, Limits limits) {
        return evaluate(0, cohort, control, limits);
    }

    /** The reason to roll back the rollout at {@code percent}, if any trigger fires. */
    public static Optional<String> evaluate(int percent, Side cohort, Side control, Limits limits) {
        if (cohort.requests() < limits.minRequests()) {
            return Optional.empty();
        }
        if (percent >= 100) {
            if (limits.slaP95LatencyMs() > 0 && cohort.p95LatencyMs() > limits.slaP95LatencyMs()) {
                return Optional.of(String.format("at 100%%: p95 latency %.1f ms breaches the SLA of %.1f ms",
                        cohort.p95LatencyMs(), limits.slaP95LatencyMs()));
            }
            if (limits.slaErrorRate() > 0 && cohort.errorRate() > limits.slaErrorRate()) {
                return Optional.of(String.format("at 100%%: error rate %.4f breaches the SLA of %.4f",
                        cohort.errorRate(), limits.slaErrorRate()));
            }
            return Optional.empty();
        }
        if (control.requests() < limits.minRequests()) {
            return Optional.empty();
        }
        double delta = cohort.errorRate() - control.errorRate();
        if (delta > limits.maxErrorRateDelta()) {
            return Optional.of(String.format("cohort error rate %.4f exceeds control %.4f by more than %.4f",
                    cohort.errorRate(), control.errorRate(), limits.maxErrorRateDelta()));
        }
        double ratio = limits.latencyRatio(percent);
        if (control.p95LatencyMs() > 0 && cohort.p95LatencyMs() > control.p95LatencyMs() * ratio) {
            return Optional.of(String.format("at %d%%: cohort p95 latency %.1f ms exceeds control %.1f ms x %.2f",
                    percent, cohort.p95LatencyMs(), control.p95LatencyMs(), ratio));
        }
        return Optional.empty();
    }
}

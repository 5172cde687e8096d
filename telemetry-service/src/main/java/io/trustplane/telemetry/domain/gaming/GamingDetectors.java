package io.trustplane.telemetry.domain.gaming;

import java.util.List;
import java.util.Optional;

/**
 * The four gaming detectors of seed 002 as pure functions over an agent's recent history, so thresholds can be
 * unit-tested on crafted histories. Each returns a human-readable finding when it fires.
 */
public final class GamingDetectors {

    private GamingDetectors() {
    }

    /** Thresholds, from {@code trustplane.telemetry.gaming.*}. */
    public record Thresholds(double rapidChangeDelta, int oscillationReversals, double oscillationMinStep,
            int boundaryProbes, int ceilingBreaches) {
    }

    /** RAPID_CHANGE: the score spread (max - min) inside the window reaches the delta. */
    public static Optional<String> rapidChange(List<Double> scoresInWindow, double delta) {
        if (scoresInWindow.size() < 2) {
            return Optional.empty();
        }
        double min = scoresInWindow.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = scoresInWindow.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return max - min >= delta
                ? Optional.of(String.format("trust score moved %.0f points (%.0f..%.0f) inside the window",
                        max - min, min, max))
                : Optional.empty();
    }

    /**
     * OSCILLATION: the score changes direction at least {@code reversals} times inside the window; moves smaller
     * than {@code minStep} are ignored so noise does not count.
     */
    public static Optional<String> oscillation(List<Double> scoresInOrder, int reversals, double minStep) {
        int count = countReversals(scoresInOrder, minStep);
        return count >= reversals
                ? Optional.of("trust score reversed direction " + count + " times inside the window")
                : Optional.empty();
    }

    static int countReversals(List<Double> scores, double minStep) {
        int reversals = 0;
        int lastDirection = 0;
        Double anchor = null;
        for (Double s : scores) {
            if (anchor == null) {
                anchor = s;
                continue;
            }
            double diff = s - anchor;
            if (Math.abs(diff) < minStep) {
                continue;
            }
            int direction = diff > 0 ? 1 : -1;
            if (lastDirection != 0 && direction != lastDirection) {
                reversals++;
            }
            lastDirection = direction;
            anchor = s;
        }
        return reversals;
    }

    /** BOUNDARY_TESTING: gate denials plus ceiling warnings for one agent inside the window reach the bound. */
    public static Optional<String> boundaryTesting(long probesInWindow, int threshold) {
        return probesInWindow >= threshold
                ? Optional.of(probesInWindow + " denied or near-limit requests inside the window")
                : Optional.empty();
    }

    /** CEILING_BREACH: ceiling breaches for one agent inside the window reach the bound. */
    public static Optional<String> ceilingBreach(long breachesInWindow, int threshold) {
        return breachesInWindow >= threshold
                ? Optional.of(breachesInWindow + " capability ceiling breach(es) inside the window")
                : Optional.empty();
    }
}

package io.trustplane.gate.domain;

import java.util.List;

/**
 * Truth scoring (seed 004): the recency-weighted share of an agent's claims that verification confirmed, and
 * the trust-score move it causes. The newest outcome weighs 1, each older one {@code decay} times less.
 */
public record TruthScore(double decay, double neutral, double weight) {

    /** Confirmed share in [0, 1] over outcomes ordered newest first; {@code neutral} when there are none. */
    public double share(List<Boolean> newestFirst) {
        double total = 0;
        double confirmed = 0;
        double w = 1;
        for (Boolean outcome : newestFirst) {
            total += w;
            if (Boolean.TRUE.equals(outcome)) {
                confirmed += w;
            }
            w *= decay;
        }
        return total == 0 ? neutral : confirmed / total;
    }

    /** Score change for one new outcome: positive above the neutral share, negative below it. */
    public int delta(double share) {
        return (int) Math.round(weight * (share - neutral));
    }

    /** What one new outcome does to a score of {@code old}: the share, and the score after it (within 0..1000). */
    public Move move(int old, List<Boolean> newestFirst) {
        double share = share(newestFirst);
        return new Move(share, clamp(old + delta(share)));
    }

    /** A score move: the confirmed share that caused it and the new score. */
    public record Move(double share, int score) {
    }

    public static int clamp(int score) {
        return Math.max(0, Math.min(1000, score));
    }
}

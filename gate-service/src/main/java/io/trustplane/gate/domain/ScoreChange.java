package io.trustplane.gate.domain;

import java.time.Instant;

/** A trust-score change as the agent's history keeps it. */
public record ScoreChange(long id, Integer oldScore, int newScore, int effectiveScore, String tier, String cause,
        String actor, Instant changedAt) {
}

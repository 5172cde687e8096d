package io.trustplane.gate.domain;

import java.time.Instant;

/** One stage change of a flag, as its history keeps it. */
public record FlagChange(long id, String action, int fromPercent, int toPercent, String reason, String actor,
        Instant changedAt) {
}

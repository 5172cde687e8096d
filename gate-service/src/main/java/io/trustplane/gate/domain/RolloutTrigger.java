package io.trustplane.gate.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When a stage must roll back (seed 004): the cohort's response time or error rate rose more than these
 * percentages over the baseline, or, at the final stage, the named condition (e.g. {@code SLA_BREACH}).
 * telemetry-service evaluates them and calls the rollback route.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutTrigger(int percent, Integer responseTimeIncreasePct, Integer errorRateIncreasePct,
        String condition) {
}

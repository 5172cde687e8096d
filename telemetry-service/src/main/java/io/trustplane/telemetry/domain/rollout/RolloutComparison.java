package io.trustplane.telemetry.domain.rollout;

/** Both sides of one rollout over the comparison window: the flag's cohort and its control group. */
public record RolloutComparison(String flag, int percent, RolloutTriggers.Side cohort, RolloutTriggers.Side control) {
}

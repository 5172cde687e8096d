package io.trustplane.gate.domain;

import java.time.Instant;
import java.util.List;

/** A stored rollout flag: its stages, where it stands and each stage's rollback trigger. */
public record FlagRecord(String flag, String description, List<Integer> stages, int stageIndex, FlagStatus status,
        List<RolloutTrigger> triggers, long version, Instant createdAt, Instant updatedAt) {

    /** The share of agents currently in the cohort. */
    public int percent() {
        return switch (status) {
            case ROLLED_BACK -> 0;
            default -> stages.get(stageIndex);
        };
    }

    public RolloutTrigger activeTrigger() {
        return status == FlagStatus.ROLLED_BACK ? null : triggers.get(stageIndex);
    }

    /** This flag at another stage and status. */
    public FlagRecord at(int index, FlagStatus newStatus) {
        return new FlagRecord(flag, description, stages, index, newStatus, triggers, version, createdAt, updatedAt);
    }
}

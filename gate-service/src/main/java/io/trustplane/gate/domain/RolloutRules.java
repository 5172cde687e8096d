package io.trustplane.gate.domain;

import io.trustplane.common.problem.ProblemException;

import java.util.ArrayList;
import java.util.List;

/**
 * The rollout state machine (seed 004): stages are strictly increasing percentages, one trigger each; a flag advances
 * one stage at a time while ACTIVE (COMPLETED at a final 100 %), re-opens its stage after a rollback, pauses only while
 * ACTIVE and resumes only while PAUSED. Pure: the caller holds the flag's row lock and stores what these return.
 */
public final class RolloutRules {

    private RolloutRules() {
    }

    /** Why {@code stages} cannot be a flag's stages, or null. */
    public static ProblemException invalidStages(List<Integer> stages) {
        for (int i = 0; i < stages.size(); i++) {
            int p = stages.get(i);
            if (p < 1 || p > 100 || (i > 0 && p <= stages.get(i - 1))) {
                return ProblemException.unprocessable("invalid_stages", "stages",
                        "stages must be strictly increasing percentages within 1..100");
            }
        }
        return null;
    }

    /** Why {@code triggers} do not fit {@code stages}, or null. */
    public static ProblemException invalidTriggers(List<Integer> stages, List<RolloutTrigger> triggers) {
        return triggers.size() == stages.size() ? null : ProblemException.unprocessable("invalid_triggers", "triggers",
                "one trigger per stage is required (" + stages.size() + " stages)");
    }

    /**
     * Default triggers for the given stages: per stage the response-time and error-rate increases (the last value
     * repeats when a list is shorter), the final stage on {@code finalStageTrigger}.
     */
    public static List<RolloutTrigger> defaultTriggers(List<Integer> stages, List<Integer> responseTime,
            List<Integer> errorRate, String finalStageTrigger) {
        List<RolloutTrigger> out = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            boolean last = i == stages.size() - 1;
            Integer rt = last ? null : at(responseTime, i);
            Integer er = last ? null : at(errorRate, i);
            out.add(new RolloutTrigger(stages.get(i), rt, er, last ? finalStageTrigger : null));
        }
        return out;
    }

    public static FlagRecord advance(FlagRecord f) {
        return switch (f.status()) {
            case PAUSED -> throw ProblemException.conflict("flag_paused", "flag '" + f.flag()
                    + "' is paused; resume it first");
            case COMPLETED -> throw ProblemException.conflict("flag_completed", "flag '" + f.flag()
                    + "' is fully rolled out");
            // after a rollback, advancing re-opens the stage that was rolled back
            case ROLLED_BACK -> f.at(f.stageIndex(), statusAt(f, f.stageIndex()));
            case ACTIVE -> f.at(f.stageIndex() + 1, statusAt(f, f.stageIndex() + 1));
        };
    }

    public static FlagRecord rollback(FlagRecord f) {
        if (f.status() == FlagStatus.ROLLED_BACK) {
            throw ProblemException.conflict("flag_rolled_back", "flag '" + f.flag() + "' is already rolled back");
        }
        return f.at(f.stageIndex(), FlagStatus.ROLLED_BACK);
    }

    public static FlagRecord pause(FlagRecord f, boolean pause) {
        if (pause && f.status() != FlagStatus.ACTIVE) {
            throw ProblemException.conflict("flag_not_active", "only an ACTIVE flag can be paused; it is " + f.status());
        }
        if (!pause && f.status() != FlagStatus.PAUSED) {
            throw ProblemException.conflict("flag_not_paused", "flag '" + f.flag() + "' is not paused");
        }
        return f.at(f.stageIndex(), pause ? FlagStatus.PAUSED : FlagStatus.ACTIVE);
    }

    private static FlagStatus statusAt(FlagRecord f, int index) {
        if (index >= f.stages().size()) {
            throw ProblemException.conflict("flag_completed", "flag '" + f.flag() + "' has no further stage");
        }
        return index == f.stages().size() - 1 && f.stages().get(index) == 100 ? FlagStatus.COMPLETED : FlagStatus.ACTIVE;
    }

    private static Integer at(List<Integer> list, int i) {
        return i < list.size() ? list.get(i) : list.isEmpty() ? null : list.get(list.size() - 1);
    }
}

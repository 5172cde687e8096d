package io.trustplane.gate.domain;

import java.util.Comparator;
import java.util.List;

/**
 * An immutable, priority-ordered snapshot of all policies at one revision. Evaluations read whichever
 * snapshot is current without locking; a reload swaps in a new one.
 */
public record PolicySet(long revision, List<PolicyRule> rules) {

    /** Higher priority first; ties broken by id so every replica orders rules identically. */
    public static final Comparator<PolicyRule> ORDER =
            Comparator.comparingInt(PolicyRule::priority).reversed().thenComparing(PolicyRule::id);

    public static final PolicySet EMPTY = new PolicySet(0, List.of());

    public PolicySet {
        rules = rules.stream().sorted(ORDER).toList();
    }
}

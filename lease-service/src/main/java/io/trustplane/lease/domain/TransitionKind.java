package io.trustplane.lease.domain;

/** What a requested phase change is relative to the task's current phase. */
public enum TransitionKind {
    /** The next phase: allowed once the evidence gate passes. */
    FORWARD,
    /** Further than the next phase: refused. */
    SKIP,
    /** Any earlier phase: allowed and counted. */
    BACKTRACK,
    /** The phase the task is already in: refused. */
    SAME;

    public static TransitionKind of(Phase from, Phase to) {
        int d = to.ordinal() - from.ordinal();
        if (d == 0) {
            return SAME;
        }
        if (d == 1) {
            return FORWARD;
        }
        return d > 1 ? SKIP : BACKTRACK;
    }
}

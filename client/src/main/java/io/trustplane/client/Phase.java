package io.trustplane.client;

/** The work process's phases, in order (seed 001): a task moves one step forward at a time. */
public enum Phase {
    STRATEGIZE, SPEC, PLAN, THINK, IMPLEMENT, VERIFY, REVIEW, PR, MONITOR;

    /** The phase after this one; MONITOR has none. */
    public Phase next() {
        if (this == MONITOR) {
            throw new IllegalStateException("MONITOR is the last phase");
        }
        return values()[ordinal() + 1];
    }
}

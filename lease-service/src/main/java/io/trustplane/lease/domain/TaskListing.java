package io.trustplane.lease.domain;

/**
 * A task as the list shows it: the task and who holds the live lease of its current phase (null when nobody does,
 * which is what makes the task's status UNLEASED rather than LEASED).
 */
public record TaskListing(Task task, String holder, Long leaseExpiresInMs) {

    /** Whether someone holds the current phase: the filter the task list takes as {@code status}. */
    public enum Status {
        LEASED, UNLEASED
    }

    public Status status() {
        return holder == null ? Status.UNLEASED : Status.LEASED;
    }
}

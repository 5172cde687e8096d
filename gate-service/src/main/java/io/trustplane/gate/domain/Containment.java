package io.trustplane.gate.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An agent's containment: who contained it, when and why, and everything it did. A step that failed (lease-service
 * unreachable) is listed in {@code failedSteps}; containing the agent again completes it.
 */
public record Containment(String reason, String containedBy, Instant containedAt, List<String> leasesReleased,
        List<String> approvalsRevoked, List<String> flagsPinned, List<FailedStep> failedSteps, String eventId) {

    /** One step of a containment that did not happen, and why. */
    public record FailedStep(String step, String why) {
    }

    public Containment {
        leasesReleased = leasesReleased == null ? List.of() : List.copyOf(leasesReleased);
        approvalsRevoked = approvalsRevoked == null ? List.of() : List.copyOf(approvalsRevoked);
        flagsPinned = flagsPinned == null ? List.of() : List.copyOf(flagsPinned);
        failedSteps = failedSteps == null ? List.of() : List.copyOf(failedSteps);
    }

    /** Whether every step was done; a complete containment is never done again. */
    public boolean complete() {
        return failedSteps.isEmpty();
    }

    /** The items of both lists, each once, in first-seen order (a retry adds to what the first attempt did). */
    public static List<String> union(List<String> before, List<String> now) {
        LinkedHashSet<String> all = new LinkedHashSet<>(before);
        all.addAll(now);
        return new ArrayList<>(all);
    }
}

package io.trustplane.lease.domain;

import java.time.Instant;

/** A unit of work moving through the phases. */
public record Task(String taskId, String title, String description, Phase phase, String createdBy, long version,
        Instant createdAt, Instant updatedAt) {
}

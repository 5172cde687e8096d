package io.trustplane.lease.domain;

import io.trustplane.common.page.Keyset;

import java.time.Instant;

/**
 * Filters of the task list, each optional: the agent that created the task or holds its current lease, the phase,
 * whether its current phase is leased, the earliest last change; then the keyset position and the rows to fetch.
 */
public record TaskQuery(String agent, Phase phase, TaskListing.Status status, Instant updatedSince, Keyset after,
        int fetch) {
}

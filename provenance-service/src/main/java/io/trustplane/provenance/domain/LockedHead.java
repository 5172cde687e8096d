package io.trustplane.provenance.domain;

import java.time.Instant;

/**
 * The tree size as the integrating transaction holds it under the head's row lock, and the database clock at that
 * moment: the {@code createdAt} of every record of the batch.
 */
public record LockedHead(long size, Instant now) {
}

package io.trustplane.provenance.domain;

import java.time.Instant;

/**
 * A queued record as the integrating transaction reads it: its place in the queue ({@code seq}), its fields, when it
 * was submitted and the leaf hash of its parent (null without a parent).
 */
public record PendingRecord(long seq, NewRecord record, Instant submittedAt, byte[] parentHash) {
}

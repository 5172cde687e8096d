package io.trustplane.gate.domain;

import java.time.Instant;

/** A validator's vote on an escalation. */
public record Vote(String validatorId, boolean approve, String reason, Instant votedAt) {
}

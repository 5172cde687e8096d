package io.trustplane.lease.domain;

/** The active baseline of a (task, phase) at the time of an attestation, and whether this attestation claimed it. */
public record AttestationBaseline(boolean claimed, int version, String specHash) {
}

package io.trustplane.lease.domain;

/** One piece of evidence for leaving a phase: what it is, where it lives, and the SHA-256 of its content. */
public record Evidence(String kind, String uri, String sha256) {
}

package io.trustplane.lease.domain;

/** Fencing state of a (task, phase) key: the last token ever issued and the live lease, if any. */
public record FencingState(long lastToken, Lease live) {

    /** Whether {@code token} is the token of the live lease: the only token a downstream resource should accept. */
    public boolean isCurrent(long token) {
        return live != null && live.fencingToken() == token;
    }
}

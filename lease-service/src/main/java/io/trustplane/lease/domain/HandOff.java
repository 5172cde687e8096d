package io.trustplane.lease.domain;

/**
 * What a transition's first statement ({@code tp_transition}) found under its locks and, when the caller's lease,
 * token and move passed, did before the ledger entry can be hashed. {@code task} is null when there is no such task,
 * {@code current} when its phase has no active lease; {@code outcome} is null when the statement left the move to be
 * refused (or {@code contained} refused the grant), {@code moved}, {@code tail} (and {@code baseline}, with a spec
 * hash) are set only after a grant.
 */
public record HandOff(Task task, Lease current, boolean contained, AcquireOutcome outcome, Task moved,
        AttestationBaseline baseline, LedgerChain.Tail tail) {
}

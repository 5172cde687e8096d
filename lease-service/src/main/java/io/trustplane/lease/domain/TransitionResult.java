package io.trustplane.lease.domain;

/**
 * A committed transition: the task in its new phase, the lease handed to it (and the one it replaced), the
 * ledger entry, and the lapsed lease of the next phase the hand-off expired (null if none).
 */
public record TransitionResult(Task task, Phase from, TransitionKind kind, Lease lease, Lease handedOff,
        LedgerEntry ledgerEntry, AttestationResult attestation, Lease expired) {
}

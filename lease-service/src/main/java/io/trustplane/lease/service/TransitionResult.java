package io.trustplane.lease.service;

/**
 * A committed transition: the task in its new phase, the lease handed to it (and the one it replaced), and the
 * ledger entry.
 */
public record TransitionResult(Task task, Phase from, TransitionKind kind, Lease lease, Lease handedOff,
        LedgerEntry ledgerEntry, AttestationResult attestation) {
}

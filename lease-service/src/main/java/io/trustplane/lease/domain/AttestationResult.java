package io.trustplane.lease.domain;

import io.trustplane.common.events.UuidV7;

/**
 * Outcome of one attestation: the spec hash, whether it became the baseline, and the drift against the
 * active baseline (severity null when there is none).
 */
public record AttestationResult(String attestationId, String taskId, Phase phase, String specHash, boolean baseline,
        int baselineVersion, String baselineHash, boolean drift, DriftSeverity severity) {

    /**
     * Judges an attestation against the baseline read for it: a drift when it did not claim the baseline and its hash
     * differs, with the severity of the phase (seed 001).
     */
    public static AttestationResult judge(String taskId, Phase phase, String specHash, AttestationBaseline b) {
        boolean drift = !b.claimed() && !b.specHash().equals(specHash);
        DriftSeverity severity = drift ? phase.driftSeverity() : null;
        return new AttestationResult(UuidV7.next().toString(), taskId, phase, specHash, b.claimed(), b.version(),
                b.specHash(), drift, severity);
    }
}

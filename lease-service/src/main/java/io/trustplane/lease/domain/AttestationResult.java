package io.trustplane.lease.domain;

/**
 * Outcome of one attestation: the spec hash, whether it became the baseline, and the drift against the
 * active baseline (severity null when there is none).
 */
public record AttestationResult(String attestationId, String taskId, Phase phase, String specHash, boolean baseline,
        int baselineVersion, String baselineHash, boolean drift, DriftSeverity severity) {
}

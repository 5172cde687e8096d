package io.trustplane.lease.domain;

/** {@code POST /v1/attestations/baselines/reset}: the retired baseline version and the next one. */
public record BaselineReset(String taskId, Phase phase, int retiredVersion, int nextVersion) {

    /** The next attestation after a reset becomes the baseline of the version after the retired one. */
    public static BaselineReset retired(String taskId, Phase phase, int retiredVersion) {
        return new BaselineReset(taskId, phase, retiredVersion, retiredVersion + 1);
    }
}

package io.trustplane.lease.rest;

import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.LedgerEntry;
import io.trustplane.lease.domain.Task;

import java.util.List;
import java.util.Map;

/**
 * The shapes of the answers the lease resources build as maps, named for the OpenAPI document (the resources do not
 * use them yet; typing the answers themselves is a separate change).
 */
public final class ResponseBodies {

    private ResponseBodies() {
    }

    /** {@code POST /v1/tasks/{taskId}/transitions}: the move, the task after it and the lease to work under. */
    public record TransitionView(String taskId, String from, String to, String kind, Task task, LeaseView lease,
            long fencingToken, LedgerRef ledgerEntry, AttestationResult attestation) {
    }

    /** The ledger entry a transition appended. */
    public record LedgerRef(long seq, String hash) {
    }

    /** {@code GET /v1/tasks/{taskId}/ledger} as JSON. */
    public record LedgerView(String taskId, List<LedgerEntry> entries) {
    }

    /** {@code POST /v1/fencing/check}: whether the token is the one of the live lease on (taskId, phase). */
    public record FencingCheckView(boolean current, String taskId, String phase, long fencingToken, Long latestToken,
            String holder, Long expiresInMs) {
    }

    /** {@code POST /v1/attestations/baselines/reset}: the retired baseline version and the next one. */
    public record BaselineReset(String taskId, String phase, int retiredVersion, int nextVersion) {
    }

    /** {@code GET /v1/attestations/stats}: attestation and drift counts, in total, by severity and by phase. */
    public record AttestationStats(long total, long baselines, long drifts, double driftRate,
            Map<String, Long> bySeverity, Map<String, PhaseCounts> byPhase) {
    }

    /** One phase's attestations and drifts. */
    public record PhaseCounts(long total, long drifts) {
    }
}

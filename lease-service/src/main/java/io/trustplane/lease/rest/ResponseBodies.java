package io.trustplane.lease.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.LedgerEntry;
import io.trustplane.lease.domain.Task;
import io.trustplane.lease.domain.TransitionResult;

import java.util.List;

/** The shapes of the answers the task resources build from the services' results (the other answers are domain types). */
public final class ResponseBodies {

    private ResponseBodies() {
    }

    /** {@code POST /v1/tasks/{taskId}/transitions}: the move, the task after it and the lease to work under. */
    public record TransitionView(String taskId, String from, String to, String kind, Task task, LeaseView lease,
            long fencingToken, LedgerRef ledgerEntry,
            @JsonInclude(JsonInclude.Include.NON_NULL) AttestationResult attestation) {

        static TransitionView of(TransitionResult r) {
            return new TransitionView(r.task().taskId(), r.from().name(), r.task().phase().name(), r.kind().name(),
                    r.task(), LeaseView.of(r.lease()), r.lease().fencingToken(),
                    new LedgerRef(r.ledgerEntry().seq(), r.ledgerEntry().hash()), r.attestation());
        }
    }

    /** The ledger entry a transition appended. */
    public record LedgerRef(long seq, String hash) {
    }

    /** {@code GET /v1/tasks/{taskId}/ledger} as JSON. */
    public record LedgerView(String taskId, List<LedgerEntry> entries) {
    }
}

package io.trustplane.client;

import io.trustplane.client.Model.ConsistencyProof;
import io.trustplane.client.Model.InclusionProof;
import io.trustplane.client.Model.NewRecord;
import io.trustplane.client.Model.ProvenanceRecord;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The provenance log: records, their inclusion proofs, signed checkpoints, consistency proofs and the log's key.
 * Proofs and checkpoints are returned as the service sent them (checkpoints as the exact signed-note text), ready
 * for an offline verifier with a pinned key.
 */
public final class Provenance {

    private final Transport transport;
    private final Duration deadline;

    Provenance(Transport transport, Duration deadline) {
        this.transport = transport;
        this.deadline = deadline;
    }

    /** Appends a record; returns once it is durable and integrated, with the signed checkpoint that includes it. */
    public ProvenanceRecord record(NewRecord record) {
        return transport.call(Routes.PROVENANCE_CREATE, Routes.PROVENANCE_CREATE.path(), record, deadline,
                ProvenanceRecord.class);
    }

    public ProvenanceRecord get(UUID id) {
        return transport.call(Routes.PROVENANCE_GET, Routes.PROVENANCE_GET.expand(id), null, deadline,
                ProvenanceRecord.class);
    }

    /** The inclusion proof of record {@code id} in the tree of {@code treeSize} (null: the latest checkpoint). */
    public InclusionProof proof(UUID id, Long treeSize) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("treeSize", treeSize);
        return transport.call(Routes.PROVENANCE_PROOF, Routes.PROVENANCE_PROOF.expand(id) + Query.of(q), null, deadline,
                InclusionProof.class);
    }

    /** The latest signed checkpoint note (C2SP tlog-checkpoint, signed note), exactly as served. */
    public String checkpoint() {
        return transport.call(Routes.LOG_CHECKPOINT, Routes.LOG_CHECKPOINT.path(), null, deadline, String.class);
    }

    /** The log's verifier key string (to pin; compare with the one you trust rather than trusting this answer). */
    public String key() {
        return transport.call(Routes.LOG_KEY, Routes.LOG_KEY.path(), null, deadline, String.class).trim();
    }

    public ConsistencyProof consistency(long from, long to) {
        return transport.call(Routes.LOG_CONSISTENCY, Routes.LOG_CONSISTENCY.path() + Query.of(Map.of("from", from, "to", to)),
                null, deadline, ConsistencyProof.class);
    }
}

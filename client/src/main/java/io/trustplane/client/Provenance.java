package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.ConsistencyProof;
import io.trustplane.client.Model.InclusionProof;
import io.trustplane.client.Model.NewRecord;
import io.trustplane.client.Model.ProvenanceRecord;
import io.trustplane.client.Model.VerifiedCheckpoint;
import io.trustplane.client.Model.VerifiedRecord;
import io.trustplane.verifier.RecordBundle;
import io.trustplane.verifier.RecordVerifier;
import io.trustplane.verifier.VerificationException;
import io.trustplane.verifier.Verdict;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The provenance log: records, their inclusion proofs, signed checkpoints, consistency proofs and the log's key.
 * Proofs and checkpoints are returned as the service sent them (checkpoints as the exact signed-note text); the
 * methods taking a {@link LogVerifier} check them here against its pinned key and the checkpoint it trusted last, and
 * throw {@link ProofException} when they do not verify.
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

    /**
     * Appends a record and verifies it locally before returning: its inclusion proof in the checkpoint that first
     * included it, that checkpoint's signature by the pinned key, and its consistency with the checkpoint trusted
     * before. The record is in the log even when this throws {@link ProofException}: the log is what failed.
     */
    public VerifiedRecord record(NewRecord record, LogVerifier verifier) {
        ProvenanceRecord created = record(record);
        return verify(created, proof(created.id(), created.treeSize()), created.checkpoint(), verifier);
    }

    /** Verifies record {@code id} in the latest checkpoint (which must be consistent with the one trusted before). */
    public VerifiedRecord verify(UUID id, LogVerifier verifier) {
        ProvenanceRecord record = get(id);
        InclusionProof proof = proof(id, null);
        return verify(record, proof, proof.checkpoint(), verifier);
    }

    /** Verifies a record with a proof already at hand, against the proof's checkpoint. */
    public VerifiedRecord verify(ProvenanceRecord record, InclusionProof proof, LogVerifier verifier) {
        return verify(record, proof, proof.checkpoint(), verifier);
    }

    /** Reads the latest checkpoint and verifies it: signed by the pinned key, consistent with the one trusted before. */
    public VerifiedCheckpoint checkpoint(LogVerifier verifier) {
        return verifyCheckpoint(checkpoint(), verifier);
    }

    /** Verifies a checkpoint note (from this log, a witness, a peer) against the pinned key and the trusted one. */
    public VerifiedCheckpoint verifyCheckpoint(String checkpoint, LogVerifier verifier) {
        return new VerifiedCheckpoint(checkpoint, verifier.verifyCheckpoint(checkpoint, consistencySource()));
    }

    private VerifiedRecord verify(ProvenanceRecord record, InclusionProof proof, String checkpoint,
            LogVerifier verifier) {
        byte[] leaf;
        List<byte[]> hashes;
        try {
            leaf = Base64.getDecoder().decode(record.leaf());
            hashes = proof.hashes().stream().map(h -> Base64.getDecoder().decode(h)).toList();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProofException(new VerificationException(Verdict.MALFORMED, "the record's leaf or the proof's "
                    + "hashes are not base64: " + e.getMessage()));
        }
        requireLeafIsRecord(record, leaf);
        if (proof.leafIndex() != record.leafIndex()) {
            throw new ProofException(new VerificationException(Verdict.NOT_INCLUDED, "the proof is for leaf "
                    + proof.leafIndex() + ", the record is leaf " + record.leafIndex()));
        }
        RecordBundle bundle = new RecordBundle(record.id().toString(), leaf, record.leafIndex(), hashes, checkpoint,
                null, List.of());
        return new VerifiedRecord(record, proof, verifier.verify(bundle, consistencySource()));
    }

    /** A proof of some other leaf must not pass for this record: the leaf must say what the record says. */
    private void requireLeafIsRecord(ProvenanceRecord record, byte[] leaf) {
        JsonNode n;
        try {
            n = transport.json().readTree(leaf);
        } catch (IOException e) {
            throw new ProofException(new VerificationException(Verdict.MALFORMED, "the record's leaf is not JSON"));
        }
        boolean same = Objects.equals(text(n, "id"), String.valueOf(record.id()))
                && Objects.equals(text(n, "agentId"), record.agentId())
                && Objects.equals(text(n, "creationType"), String.valueOf(record.creationType()))
                && Objects.equals(text(n, "contentHash"), record.contentHash());
        if (!same) {
            throw new ProofException(new VerificationException(Verdict.NOT_INCLUDED, "the leaf of record "
                    + record.id() + " describes another record"));
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private RecordVerifier.ConsistencySource consistencySource() {
        return (from, to) -> Optional.of(consistency(from, to).hashes().stream()
                .map(h -> Base64.getDecoder().decode(h)).toList());
    }
}

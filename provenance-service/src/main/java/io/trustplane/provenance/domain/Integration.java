package io.trustplane.provenance.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One batch's integration into the tree, the rules of the sequencer's transaction without its SQL: each pending record
 * gets the next leaf index, its leaf (the encoder's bytes) and RFC 6962 leaf hash, the hashes are appended to the tree
 * whose frontier is given, and one checkpoint is signed for the new size and root; every record of the batch carries
 * that checkpoint.
 */
public final class Integration {

    /** The leaf bytes of a record: its RFC 8785 canonical JSON, made outside the domain. */
    @FunctionalInterface
    public interface LeafEncoding {
        byte[] leaf(NewRecord record, Instant submittedAt, Instant createdAt);
    }

    /** What the transaction stores: the batch, the perfect subtrees it completed and the queue entries it took. */
    public record Step(Batch batch, Map<Merkle.Node, byte[]> nodes, List<Long> seqs) {
    }

    private Integration() {
    }

    /**
     * Integrates {@code pending} (non-empty, in queue order) into the tree of {@code head.size()} leaves whose frontier
     * hashes are given; {@code signer} turns (size, root) into the signed checkpoint note.
     */
    public static Step integrate(LockedHead head, Map<Merkle.Node, byte[]> frontier, List<PendingRecord> pending,
            LeafEncoding encoding, BiFunction<Long, byte[], String> signer) {
        List<byte[]> leaves = new ArrayList<>(pending.size());
        List<byte[]> leafHashes = new ArrayList<>(pending.size());
        List<Long> seqs = new ArrayList<>(pending.size());
        for (PendingRecord p : pending) {
            seqs.add(p.seq());
            byte[] leaf = encoding.leaf(p.record(), p.submittedAt(), head.now());
            leaves.add(leaf);
            leafHashes.add(Merkle.leafHash(leaf));
        }
        Merkle.Appended appended = Merkle.append(head.size(), frontier, leafHashes);
        String note = signer.apply(appended.size(), appended.root());
        List<LogRecord> records = new ArrayList<>(pending.size());
        long index = head.size();
        for (int i = 0; i < pending.size(); i++) {
            PendingRecord p = pending.get(i);
            NewRecord r = p.record();
            records.add(new LogRecord(r.id(), index++, r.agentId(), r.creationType(), r.parentId(), r.contentHash(),
                    r.metadataJson(), p.submittedAt(), head.now(), leaves.get(i), leafHashes.get(i), p.parentHash(),
                    appended.size(), note));
        }
        return new Step(new Batch(List.copyOf(records), appended.size(), appended.root(), note), appended.nodes(),
                seqs);
    }
}

package io.trustplane.provenance.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.Integration;
import io.trustplane.provenance.domain.LockedHead;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.domain.NewRecord;
import io.trustplane.provenance.domain.PendingRecord;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The statements of the integrating transaction (which {@code service.Sequencer} opens and {@code domain.Integration}
 * computes for): the sequencer's advisory lock, the tree head's row lock, the pending queue, the frontier, and storing
 * a batch's records, completed perfect subtrees, signed checkpoint and new head with a NOTIFY to waiters, all on the
 * caller's connection, so a sequencer killed at any point either published the whole batch or nothing.
 */
@ApplicationScoped
public class SequencerRepository {

    public static final String CHANNEL = "tp_provenance_integrated";

    /** Takes the cluster-wide sequencer lock for the transaction; false when another sequencer holds it. */
    public Uni<Boolean> tryLock(SqlConnection conn, long lockKey) {
        return conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked").execute(Tuple.of(lockKey))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** Locks the head row: the tree size to append to and the database clock, every leaf's createdAt. */
    public Uni<LockedHead> lockHead(SqlConnection conn) {
        return conn.query("SELECT tree_size, clock_timestamp() AS now FROM tree_head WHERE id = 1 FOR UPDATE")
                .execute()
                .map(rows -> {
                    Row h = rows.iterator().next();
                    return new LockedHead(h.getLong("tree_size"), LogRepository.instant(h, "now"));
                });
    }

    /** Up to {@code batchSize} queued records in queue order, each with its parent's leaf hash. */
    public Uni<List<PendingRecord>> pending(SqlConnection conn, int batchSize) {
        return conn.preparedQuery("SELECT p.seq, p.id, p.agent_id, p.creation_type, p.parent_id,"
                        + " p.content_hash, p.metadata::text AS metadata_json, p.submitted_at,"
                        + " r.leaf_hash AS parent_hash FROM pending_record p"
                        + " LEFT JOIN provenance_record r ON r.id = p.parent_id ORDER BY p.seq LIMIT $1")
                .execute(Tuple.of(batchSize))
                .map(rows -> {
                    List<PendingRecord> out = new ArrayList<>(rows.size());
                    for (Row p : rows) {
                        out.add(new PendingRecord(p.getLong("seq"), new NewRecord(p.getUUID("id"),
                                p.getString("agent_id"), CreationType.valueOf(p.getString("creation_type")),
                                p.getUUID("parent_id"), p.getString("content_hash"), p.getString("metadata_json")),
                                LogRepository.instant(p, "submitted_at"), LogRepository.bytes(p, "parent_hash")));
                    }
                    return out;
                });
    }

    /** Perfect-subtree hashes by (level, idx), read inside the transaction. */
    public Uni<Map<Merkle.Node, byte[]>> nodes(SqlConnection conn, Collection<Merkle.Node> wanted) {
        return LogRepository.nodes(conn, wanted);
    }

    /** Stores an integrated batch, takes its records off the queue, moves the head and NOTIFYs at commit. */
    public Uni<Void> store(SqlConnection conn, Integration.Step step) {
        List<Tuple> rows = new ArrayList<>(step.batch().records().size());
        for (LogRecord r : step.batch().records()) {
            rows.add(Tuple.from(java.util.Arrays.asList(r.id(), r.leafIndex(), r.agentId(), r.creationType().name(),
                    r.parentId(), r.contentHash(), r.metadataJson(), LogRepository.utc(r.submittedAt()),
                    LogRepository.utc(r.createdAt()), LogRepository.buffer(r.leaf()), LogRepository.buffer(r.leafHash()),
                    LogRepository.buffer(r.parentHash()), r.checkpointSize())));
        }
        List<Tuple> nodes = new ArrayList<>(step.nodes().size());
        for (Map.Entry<Merkle.Node, byte[]> n : step.nodes().entrySet()) {
            nodes.add(Tuple.of((short) n.getKey().level(), n.getKey().idx(), LogRepository.buffer(n.getValue())));
        }
        long size = step.batch().treeSize();
        byte[] root = step.batch().root();
        return conn.preparedQuery("INSERT INTO provenance_record (id, leaf_index, agent_id, creation_type,"
                        + " parent_id, content_hash, metadata, submitted_at, created_at, leaf, leaf_hash, parent_hash,"
                        + " checkpoint_size) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11, $12, $13)")
                .executeBatch(rows)
                .chain(() -> conn.preparedQuery("INSERT INTO tree_node (level, idx, hash) VALUES ($1, $2, $3)")
                        .executeBatch(nodes))
                .chain(() -> conn.preparedQuery("DELETE FROM pending_record WHERE seq = ANY($1::bigint[])")
                        .execute(Tuple.of(step.seqs().toArray(Long[]::new))))
                .chain(() -> conn.preparedQuery("INSERT INTO checkpoint (tree_size, root_hash, note) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(size, LogRepository.buffer(root), step.batch().checkpoint())))
                .chain(() -> conn.preparedQuery("UPDATE tree_head SET tree_size = $1, root_hash = $2 WHERE id = 1")
                        .execute(Tuple.of(size, LogRepository.buffer(root))))
                // delivered at commit, to every replica's listener
                .chain(() -> conn.preparedQuery("SELECT pg_notify($1, $2)")
                        .execute(Tuple.of(CHANNEL, Long.toString(size))))
                .replaceWithVoid();
    }
}

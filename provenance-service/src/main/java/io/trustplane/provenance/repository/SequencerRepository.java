package io.trustplane.provenance.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.domain.Batch;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.service.LeafEncoder;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The integrating transaction: under the sequencer's advisory lock and the tree head's row lock, it moves up to
 * a batch of pending records into the tree, stores the completed perfect subtrees, the signed checkpoint and
 * the new head, and NOTIFYs waiters, all in ONE transaction: a sequencer killed at any point either published
 * the whole batch or nothing, so no acknowledged record is lost and no tree size ever gets two roots.
 */
@ApplicationScoped
public class SequencerRepository {

    public static final String CHANNEL = "tp_provenance_integrated";

    private final LogRepository log;

    public SequencerRepository(LogRepository log) {
        this.log = log;
    }

    /**
     * Integrates one batch. Emits null when another sequencer holds the lock, {@link Batch#EMPTY} when nothing
     * is pending. {@code signer} turns (size, root) into the signed checkpoint note.
     */
    public Uni<Batch> integrate(long lockKey, int batchSize, BiFunction<Long, byte[], String> signer) {
        return log.underSequencerLock(lockKey, conn -> conn
                .query("SELECT tree_size, clock_timestamp() AS now FROM tree_head WHERE id = 1 FOR UPDATE")
                .execute()
                .chain(head -> {
                    Row h = head.iterator().next();
                    long size = h.getLong("tree_size");
                    Instant now = LogRepository.instant(h, "now");
                    return conn.preparedQuery("SELECT p.seq, p.id, p.agent_id, p.creation_type, p.parent_id,"
                                    + " p.content_hash, p.metadata::text AS metadata_json, p.submitted_at,"
                                    + " r.leaf_hash AS parent_hash FROM pending_record p"
                                    + " LEFT JOIN provenance_record r ON r.id = p.parent_id ORDER BY p.seq LIMIT $1")
                            .execute(Tuple.of(batchSize))
                            .chain(pending -> pending.size() == 0
                                    ? Uni.createFrom().item(Batch.EMPTY)
                                    : integrate(conn, size, now, pending, signer));
                }));
    }

    private Uni<Batch> integrate(SqlConnection conn, long size, Instant now,
            io.vertx.mutiny.sqlclient.RowSet<Row> pending, BiFunction<Long, byte[], String> signer) {
        return LogRepository.nodes(conn, Merkle.frontier(size)).chain(frontier -> {
            List<LogRecord> records = new ArrayList<>(pending.size());
            List<byte[]> leafHashes = new ArrayList<>(pending.size());
            List<Long> seqs = new ArrayList<>(pending.size());
            long index = size;
            for (Row p : pending) {
                seqs.add(p.getLong("seq"));
                CreationType type = CreationType.valueOf(p.getString("creation_type"));
                Instant submitted = LogRepository.instant(p, "submitted_at");
                byte[] leaf = LeafEncoder.encode(p.getUUID("id"), p.getString("agent_id"), type,
                        p.getUUID("parent_id"), p.getString("content_hash"), p.getString("metadata_json"),
                        submitted, now);
                byte[] leafHash = Merkle.leafHash(leaf);
                leafHashes.add(leafHash);
                records.add(new LogRecord(p.getUUID("id"), index++, p.getString("agent_id"), type,
                        p.getUUID("parent_id"), p.getString("content_hash"), p.getString("metadata_json"),
                        submitted, now, leaf, leafHash, LogRepository.bytes(p, "parent_hash"), -1, null));
            }
            Merkle.Appended appended = Merkle.append(size, frontier, leafHashes);
            String note = signer.apply(appended.size(), appended.root());
            List<LogRecord> done = records.stream().map(r -> new LogRecord(r.id(), r.leafIndex(), r.agentId(),
                    r.creationType(), r.parentId(), r.contentHash(), r.metadataJson(), r.submittedAt(),
                    r.createdAt(), r.leaf(), r.leafHash(), r.parentHash(), appended.size(), note)).toList();
            return store(conn, done, appended, seqs, note, now)
                    .replaceWith(new Batch(done, appended.size(), appended.root(), note));
        });
    }

    private Uni<Void> store(SqlConnection conn, List<LogRecord> records, Merkle.Appended appended, List<Long> seqs,
            String note, Instant now) {
        List<Tuple> rows = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            rows.add(Tuple.from(java.util.Arrays.asList(r.id(), r.leafIndex(), r.agentId(), r.creationType().name(),
                    r.parentId(), r.contentHash(), r.metadataJson(), LogRepository.utc(r.submittedAt()),
                    LogRepository.utc(now), LogRepository.buffer(r.leaf()), LogRepository.buffer(r.leafHash()),
                    LogRepository.buffer(r.parentHash()), r.checkpointSize())));
        }
        List<Tuple> nodes = new ArrayList<>(appended.nodes().size());
        for (Map.Entry<Merkle.Node, byte[]> n : appended.nodes().entrySet()) {
            nodes.add(Tuple.of((short) n.getKey().level(), n.getKey().idx(), LogRepository.buffer(n.getValue())));
        }
        return conn.preparedQuery("INSERT INTO provenance_record (id, leaf_index, agent_id, creation_type,"
                        + " parent_id, content_hash, metadata, submitted_at, created_at, leaf, leaf_hash, parent_hash,"
                        + " checkpoint_size) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11, $12, $13)")
                .executeBatch(rows)
                .chain(() -> conn.preparedQuery("INSERT INTO tree_node (level, idx, hash) VALUES ($1, $2, $3)")
                        .executeBatch(nodes))
                .chain(() -> conn.preparedQuery("DELETE FROM pending_record WHERE seq = ANY($1::bigint[])")
                        .execute(Tuple.of(seqs.toArray(Long[]::new))))
                .chain(() -> conn.preparedQuery("INSERT INTO checkpoint (tree_size, root_hash, note) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(appended.size(), LogRepository.buffer(appended.root()), note)))
                .chain(() -> conn.preparedQuery("UPDATE tree_head SET tree_size = $1, root_hash = $2 WHERE id = 1")
                        .execute(Tuple.of(appended.size(), LogRepository.buffer(appended.root()))))
                // delivered at commit, to every replica's listener
                .chain(() -> conn.preparedQuery("SELECT pg_notify($1, $2)")
                        .execute(Tuple.of(CHANNEL, Long.toString(appended.size()))))
                .replaceWithVoid();
    }
}

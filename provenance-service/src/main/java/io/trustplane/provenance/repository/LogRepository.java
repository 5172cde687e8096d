package io.trustplane.provenance.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.domain.NewRecord;
import io.trustplane.provenance.domain.TreeHead;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of the provenance log: pending queue, integrated records, tree nodes and checkpoints. */
@ApplicationScoped
public class LogRepository {

    /** {@link #RECORD_COLUMNS} without the checkpoint's note, for a page that carries one note for all. */
    static final String PAGE_COLUMNS = "r.id, r.leaf_index, r.agent_id, r.creation_type, r.parent_id,"
            + " r.content_hash, r.metadata::text AS metadata_json, r.submitted_at, r.created_at, r.leaf,"
            + " r.leaf_hash, r.parent_hash, r.checkpoint_size";
    static final String RECORD_COLUMNS = PAGE_COLUMNS + ", k.note";
    static final String RECORD_FROM = " FROM provenance_record r JOIN checkpoint k ON k.tree_size = r.checkpoint_size";

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final Pool pool;
    private final IdempotentTransactions transactions;

    public LogRepository(Pool pool, IdempotentTransactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Queues a record; a parent that is not an integrated record is refused atomically by the foreign key, and with
     * a {@code parentOwner} one of another agent is refused by the same statement, with the same answer. A request
     * with an {@code Idempotency-Key} links its key to the record's id in the same transaction.
     */
    public Uni<Void> insertPending(NewRecord record, String parentOwner) {
        return transactions.runLinked(pool, record.id().toString(),
                client -> insertPending(client, record, parentOwner));
    }

    /** Remembers an anchored event's id on the caller's transaction; false when the event was seen before. */
    public Uni<Boolean> markAnchored(SqlConnection conn, String eventId, UUID recordId) {
        return conn.preparedQuery("INSERT INTO anchored_event (event_id, record_id) VALUES ($1, $2)"
                        + " ON CONFLICT (event_id) DO NOTHING")
                .execute(Tuple.of(eventId, recordId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** {@link #insertPending(NewRecord, String)} on the caller's connection or transaction. */
    public static Uni<Void> insertPending(io.vertx.mutiny.sqlclient.SqlClient client, NewRecord r,
            String parentOwner) {
        if (r.parentId() == null || parentOwner == null) {
            return client.preparedQuery("INSERT INTO pending_record (id, agent_id, creation_type, parent_id,"
                            + " content_hash, metadata) VALUES ($1, $2, $3, $4, $5, $6::text::jsonb)")
                    .execute(Tuple.from(java.util.Arrays.asList(r.id(), r.agentId(), r.creationType().name(),
                            r.parentId(), r.contentHash(), r.metadataJson())))
                    .onFailure(e -> e instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState()))
                    .transform(e -> unknownParent(r.parentId()))
                    .replaceWithVoid();
        }
        // one statement, no extra round trip: the parent's owner is checked by the primary-key lookup the foreign
        // key makes anyway; no row inserted means the parent is unknown or someone else's, answered alike
        return client.preparedQuery("INSERT INTO pending_record (id, agent_id, creation_type, parent_id,"
                        + " content_hash, metadata) SELECT $1, $2, $3, $4, $5, $6::text::jsonb"
                        + " WHERE EXISTS (SELECT 1 FROM provenance_record WHERE id = $4 AND agent_id = $7)")
                .execute(Tuple.from(java.util.Arrays.asList(r.id(), r.agentId(), r.creationType().name(),
                        r.parentId(), r.contentHash(), r.metadataJson(), parentOwner)))
                .onFailure(e -> e instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> unknownParent(r.parentId()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw unknownParent(r.parentId());
                    }
                    return null;
                });
    }

    /** The one answer for a parent that does not exist and for one the caller may not name. */
    private static ProblemException unknownParent(UUID parentId) {
        return ProblemException.unprocessable("unknown_parent", "parentId",
                "no record the caller may name as parent has id '" + parentId + "'");
    }

    /** The integrated anchors of a task's ledger entries (any submitter: the caller checks it from the leaf). */
    public Uni<List<LogRecord>> ledgerAnchors(String taskId, int limit) {
        return pool.preparedQuery("SELECT " + RECORD_COLUMNS + RECORD_FROM
                        + " WHERE r.metadata ->> 'kind' = 'anchor' AND r.metadata -> 'event' ->> 'type' = 'ledger.appended'"
                        + " AND (r.metadata -> 'event' -> 'data' ->> 'taskId') = $1 ORDER BY r.leaf_index LIMIT $2")
                .execute(Tuple.of(taskId, limit))
                .map(rows -> {
                    List<LogRecord> out = new ArrayList<>();
                    rows.forEach(row -> out.add(map(row)));
                    return out;
                });
    }

    public Uni<Optional<LogRecord>> findById(UUID id) {
        return pool.preparedQuery("SELECT " + RECORD_COLUMNS + RECORD_FROM + " WHERE r.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    public Uni<List<LogRecord>> findByIds(Collection<UUID> ids) {
        return pool.preparedQuery("SELECT " + RECORD_COLUMNS + RECORD_FROM + " WHERE r.id = ANY($1::uuid[])")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(LogRepository::mapAll);
    }

    /** The record and its ancestors, self first; the foreign key ordering rules out cycles. */
    public Uni<List<LogRecord>> lineage(UUID id, int maxLength) {
        return pool.preparedQuery("WITH RECURSIVE chain (id, parent_id, depth) AS ("
                        + " SELECT id, parent_id, 0 FROM provenance_record WHERE id = $1"
                        + " UNION ALL SELECT p.id, p.parent_id, c.depth + 1 FROM chain c"
                        + " JOIN provenance_record p ON p.id = c.parent_id WHERE c.depth + 1 < $2)"
                        + " SELECT " + RECORD_COLUMNS + " FROM chain c JOIN provenance_record r ON r.id = c.id"
                        + " JOIN checkpoint k ON k.tree_size = r.checkpoint_size ORDER BY c.depth")
                .execute(Tuple.of(id, maxLength))
                .map(LogRepository::mapAll);
    }

    /**
     * One page in log order (created_at, leaf_index) after the cursor; filters are each optional. The rows carry no
     * note: a page names one checkpoint, which the caller reads by size ({@link #checkpoint}), so the page query
     * touches no other table.
     */
    public Uni<List<LogRecord>> page(RecordQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + PAGE_COLUMNS + ", NULL::text AS note"
                + " FROM provenance_record r WHERE true");
        List<Object> args = new ArrayList<>();
        q.appendWhere(sql, args);
        sql.append(" ORDER BY r.created_at, r.leaf_index LIMIT $").append(args.size() + 1);
        args.add(q.limit());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(LogRepository::mapAll);
    }

    /** The current tree size and root. */
    public Uni<TreeHead> head() {
        return pool.query("SELECT h.tree_size, h.root_hash, k.note FROM tree_head h"
                        + " LEFT JOIN checkpoint k ON k.tree_size = h.tree_size WHERE h.id = 1")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new TreeHead(row.getLong("tree_size"), bytes(row, "root_hash"), row.getString("note"));
                });
    }

    /** The signed note of the checkpoint published at exactly {@code size}, if any. */
    public Uni<Optional<String>> checkpoint(long size) {
        return pool.preparedQuery("SELECT note FROM checkpoint WHERE tree_size = $1").execute(Tuple.of(size))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("note")));
    }

    /** Perfect-subtree hashes by (level, idx): one indexed lookup for the O(log n) nodes a proof needs. */
    public Uni<Map<Merkle.Node, byte[]>> nodes(Collection<Merkle.Node> wanted) {
        return nodes(pool, wanted);
    }

    static Uni<Map<Merkle.Node, byte[]>> nodes(io.vertx.mutiny.sqlclient.SqlClient client,
            Collection<Merkle.Node> wanted) {
        if (wanted.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Integer[] levels = wanted.stream().map(Merkle.Node::level).toArray(Integer[]::new);
        Long[] idxs = wanted.stream().map(Merkle.Node::idx).toArray(Long[]::new);
        return client.preparedQuery("SELECT n.level, n.idx, n.hash FROM tree_node n"
                        + " JOIN unnest($1::int[], $2::bigint[]) AS w (level, idx)"
                        + " ON n.level = w.level AND n.idx = w.idx")
                .execute(Tuple.of(levels, idxs))
                .map(rows -> {
                    Map<Merkle.Node, byte[]> out = new HashMap<>();
                    for (Row row : rows) {
                        out.put(new Merkle.Node(row.getShort("level"), row.getLong("idx")), bytes(row, "hash"));
                    }
                    return out;
                });
    }

    static List<LogRecord> mapAll(RowSet<Row> rows) {
        List<LogRecord> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(map(row));
        }
        return out;
    }

    static LogRecord map(Row row) {
        return new LogRecord(row.getUUID("id"), row.getLong("leaf_index"), row.getString("agent_id"),
                CreationType.valueOf(row.getString("creation_type")), row.getUUID("parent_id"),
                row.getString("content_hash"), row.getString("metadata_json"), instant(row, "submitted_at"),
                instant(row, "created_at"), bytes(row, "leaf"), bytes(row, "leaf_hash"), bytes(row, "parent_hash"),
                row.getLong("checkpoint_size"), row.getString("note"));
    }

    static byte[] bytes(Row row, String column) {
        var buffer = row.getBuffer(column);
        return buffer == null ? null : buffer.getBytes();
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Buffer buffer(byte[] bytes) {
        return bytes == null ? null : Buffer.buffer(bytes);
    }
}

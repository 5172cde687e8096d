package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.lease.domain.Canonical;
import io.trustplane.lease.domain.LedgerChain;
import io.trustplane.lease.domain.LedgerEntry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for the per-task hash chain. Appends run inside the caller's transaction behind a per-task advisory
 * lock, so the entry commits or vanishes together with the change it records.
 */
@ApplicationScoped
public class LedgerRepository {

    public static final String GENESIS = "GENESIS";

    private final Pool pool;

    public LedgerRepository(Pool pool) {
        this.pool = pool;
    }

    /** The end of a task's chain as read under its advisory lock, with the time the next entry is stamped with. */
    public record Tail(String taskId, String now, Long seq, String hash) {
    }

    /** Appends one entry (writing the genesis entry first when the task has none). */
    public Uni<LedgerEntry> append(SqlClient conn, String taskId, String kind, String actor, Map<String, Object> data) {
        return tail(conn, taskId).chain(tail -> append(conn, tail, kind, actor, data));
    }

    /**
     * Takes the task's advisory lock (held to the end of the transaction) and reads the chain's end. Both statements
     * are sent at once (the client pipelines them on the connection); PostgreSQL runs the read once the lock is
     * held, with a fresh snapshot, so it sees every entry committed before.
     */
    public Uni<Tail> tail(SqlClient conn, String taskId) {
        Uni<?> lock = conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 7431))")
                .execute(Tuple.of(taskId));
        Uni<Row> end = conn.preparedQuery("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                        + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS now, l.seq, l.hash FROM (SELECT 1) x LEFT JOIN "
                        + "LATERAL (SELECT seq, hash FROM ledger_entries WHERE task_id = $1 ORDER BY seq DESC "
                        + "LIMIT 1) l ON true")
                .execute(Tuple.of(taskId))
                .map(rows -> rows.iterator().next());
        return Uni.combine().all().unis(lock, end)
                .with((locked, r) -> new Tail(taskId, r.getString("now"), r.getLong("seq"), r.getString("hash")));
    }

    /** Appends one entry after {@code tail}, read in this transaction by {@link #tail}. */
    public Uni<LedgerEntry> append(SqlClient conn, Tail tail, String kind, String actor, Map<String, Object> data) {
        return write(conn, prepare(tail, kind, actor, data));
    }

    /** An entry ready to insert: the entry and its canonical body, hashed. */
    public record Prepared(LedgerEntry entry, String body) {
    }

    /**
     * The entries that appending one after {@code tail} writes, hashed but not yet stored: the entry, preceded by the
     * genesis entry when the task has none. Known before the INSERT is sent, so events describing them (anchors)
     * can go out in the same pipelined step.
     */
    public List<Prepared> prepare(Tail tail, String kind, String actor, Map<String, Object> data) {
        String taskId = tail.taskId();
        if (tail.seq() == null && !GENESIS.equals(kind)) {
            Prepared genesis = prepare(taskId, 0, GENESIS, actor, tail.now(), Map.of("taskId", taskId),
                    LedgerChain.GENESIS_PREV);
            return List.of(genesis, prepare(taskId, 1, kind, actor, tail.now(), data, genesis.entry().hash()));
        }
        long seq = tail.seq() == null ? 0 : tail.seq() + 1;
        String prev = tail.seq() == null ? LedgerChain.GENESIS_PREV : tail.hash();
        return List.of(prepare(taskId, seq, kind, actor, tail.now(), data, prev));
    }

    /** Inserts prepared entries (in order, sent together); completes with the last. */
    public Uni<LedgerEntry> write(SqlClient conn, List<Prepared> entries) {
        List<Uni<LedgerEntry>> inserts = new ArrayList<>(entries.size());
        for (Prepared p : entries) {
            LedgerEntry e = p.entry();
            inserts.add(conn.preparedQuery("INSERT INTO ledger_entries (task_id, seq, kind, body, prev_hash, hash, "
                            + "created_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())")
                    .execute(Tuple.of(e.taskId(), e.seq(), e.kind(), p.body(), e.prevHash(), e.hash()))
                    .replaceWith(e));
        }
        return inserts.size() == 1 ? inserts.get(0)
                : Uni.combine().all().unis(inserts).with(list -> (LedgerEntry) list.get(list.size() - 1));
    }

    private static Prepared prepare(String taskId, long seq, String kind, String actor, String time,
            Map<String, Object> data, String prev) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", seq);
        body.put("taskId", taskId);
        body.put("kind", kind);
        body.put("actor", actor);
        body.put("time", time);
        body.put("data", data);
        String json = Canonical.json(body);
        String hash = LedgerChain.hash(json, prev);
        return new Prepared(new LedgerEntry(seq, taskId, kind, actor, time, data, prev, hash), json);
    }

    /** The chain as stored, for export and verification, ascending by seq. */
    public Uni<List<LedgerChain.Stored>> stored(String taskId) {
        return pool.preparedQuery("SELECT seq, body, prev_hash, hash FROM ledger_entries WHERE task_id = $1 ORDER BY seq")
                .execute(Tuple.of(taskId))
                .map(rows -> {
                    List<LedgerChain.Stored> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new LedgerChain.Stored(r.getLong("seq"), r.getString("body"),
                            r.getString("prev_hash"), r.getString("hash"))));
                    return out;
                });
    }

    /** Turns a stored row into its export form; a body that no longer parses is shown as such. */
    @SuppressWarnings("unchecked")
    public static LedgerEntry export(String taskId, LedgerChain.Stored s) {
        try {
            Map<String, Object> b = Canonical.parse(s.body());
            Object data = b.get("data");
            return new LedgerEntry(s.seq(), taskId, String.valueOf(b.get("kind")), String.valueOf(b.get("actor")),
                    String.valueOf(b.get("time")), data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
                    s.prevHash(), s.hash());
        } catch (RuntimeException e) {
            return new LedgerEntry(s.seq(), taskId, "UNREADABLE", null, null, Map.of(), s.prevHash(), s.hash());
        }
    }
}

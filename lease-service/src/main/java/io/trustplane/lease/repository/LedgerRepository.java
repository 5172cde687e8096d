package io.trustplane.lease.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.trustplane.lease.domain.LedgerChain;
import io.trustplane.lease.domain.LedgerEntry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL for the per-task hash chain. Entries (prepared and hashed by {@link LedgerChain}) are written inside the
 * caller's transaction behind a per-task advisory lock, so they commit or vanish together with the change they
 * record.
 */
@ApplicationScoped
public class LedgerRepository {

    /** Reads stored bodies back for export (verification always hashes the stored text itself). */
    private static final ObjectMapper READER = new ObjectMapper();

    private final Pool pool;

    public LedgerRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes the task's advisory lock (held to the end of the transaction) and reads the chain's end. Both statements
     * are sent at once (the client pipelines them on the connection); PostgreSQL runs the read once the lock is
     * held, with a fresh snapshot, so it sees every entry committed before.
     */
    public Uni<LedgerChain.Tail> tail(SqlClient conn, String taskId) {
        Uni<?> lock = conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 7431))")
                .execute(Tuple.of(taskId));
        Uni<Row> end = conn.preparedQuery("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                        + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS now, l.seq, l.hash FROM (SELECT 1) x LEFT JOIN "
                        + "LATERAL (SELECT seq, hash FROM ledger_entries WHERE task_id = $1 ORDER BY seq DESC "
                        + "LIMIT 1) l ON true")
                .execute(Tuple.of(taskId))
                .map(rows -> rows.iterator().next());
        return Uni.combine().all().unis(lock, end).with((locked, r) -> new LedgerChain.Tail(taskId,
                r.getString("now"), r.getLong("seq"), r.getString("hash")));
    }

    /** Inserts prepared entries (in order, sent together); completes with the last. */
    public Uni<LedgerEntry> write(SqlClient conn, List<LedgerChain.Prepared> entries) {
        List<Uni<LedgerEntry>> inserts = new ArrayList<>(entries.size());
        for (LedgerChain.Prepared p : entries) {
            LedgerEntry e = p.entry();
            inserts.add(conn.preparedQuery("INSERT INTO ledger_entries (task_id, seq, kind, body, prev_hash, hash, "
                            + "created_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())")
                    .execute(Tuple.of(e.taskId(), e.seq(), e.kind(), p.body(), e.prevHash(), e.hash()))
                    .replaceWith(e));
        }
        return inserts.size() == 1 ? inserts.get(0)
                : Uni.combine().all().unis(inserts).with(list -> (LedgerEntry) list.get(list.size() - 1));
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
            Map<String, Object> b = READER.readValue(s.body(), Map.class);
            Object data = b.get("data");
            return new LedgerEntry(s.seq(), taskId, String.valueOf(b.get("kind")), String.valueOf(b.get("actor")),
                    String.valueOf(b.get("time")), data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
                    s.prevHash(), s.hash());
        } catch (JsonProcessingException | RuntimeException e) {
            return new LedgerEntry(s.seq(), taskId, "UNREADABLE", null, null, Map.of(), s.prevHash(), s.hash());
        }
    }
}

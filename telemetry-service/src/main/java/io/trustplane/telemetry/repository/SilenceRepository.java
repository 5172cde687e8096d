package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.alert.Silence;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Silences and their audited history. */
@ApplicationScoped
public class SilenceRepository {

    private static final String COLUMNS = "id, kind, agent_id, severity, created_by, comment, starts_at, ends_at, "
            + "created_at, updated_at";

    private final Pool pool;

    public SilenceRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Silence> insert(SqlClient conn, UUID id, String kind, String agentId, Severity severity, String actor,
            String comment, Instant startsAt, Instant endsAt) {
        return conn.preparedQuery("INSERT INTO silences (id, kind, agent_id, severity, created_by, comment, starts_at, "
                        + "ends_at) VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, clock_timestamp()), $8) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, kind, agentId, severity == null ? null : severity.name(), actor,
                        comment, startsAt == null ? null : startsAt.atOffset(ZoneOffset.UTC),
                        endsAt.atOffset(ZoneOffset.UTC))))
                .map(SilenceRepository::first);
    }

    /** Ends a silence now (a pending one ends before it starts); null when unknown or already over. */
    public Uni<Silence> expire(SqlClient conn, UUID id) {
        return conn.preparedQuery("UPDATE silences SET ends_at = clock_timestamp(), starts_at = LEAST(starts_at, "
                        + "clock_timestamp() - interval '1 microsecond'), updated_at = clock_timestamp() "
                        + "WHERE id = $1 AND ends_at > clock_timestamp() RETURNING " + COLUMNS)
                .execute(Tuple.of(id))
                .map(SilenceRepository::first);
    }

    public Uni<Void> history(SqlClient conn, String id, String action, String actor, Silence after) {
        return conn.preparedQuery("INSERT INTO silence_history (silence_id, action, actor, snapshot) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(UUID.fromString(id), action, actor, new JsonObject(after.snapshot())))
                .replaceWithVoid();
    }

    public Uni<Optional<Silence>> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM silences WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> Optional.ofNullable(first(rows)));
    }

    /** The audit trail of one silence, oldest first. */
    public Uni<List<Silence.HistoryEntry>> historyOf(UUID id) {
        return pool.preparedQuery("SELECT action, actor, at, snapshot FROM silence_history WHERE silence_id = $1 ORDER BY id")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<Silence.HistoryEntry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Silence.HistoryEntry(r.getString("action"), r.getString("actor"),
                            r.getOffsetDateTime("at").toInstant().toString(), r.getJsonObject("snapshot").getMap())));
                    return out;
                });
    }

    /** Silences in force now or later (and, with {@code includeExpired}, the ended ones), newest first. */
    public Uni<List<Silence>> list(boolean includeExpired, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM silences WHERE $1 OR ends_at > clock_timestamp() "
                        + "ORDER BY created_at DESC, id DESC LIMIT $2")
                .execute(Tuple.of(includeExpired, limit))
                .map(rows -> {
                    List<Silence> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** The id of a silence in force now that matches the alert, if any. */
    public Uni<Optional<String>> matching(String kind, String agentId, Severity severity) {
        return pool.preparedQuery("SELECT id FROM silences WHERE starts_at <= clock_timestamp() "
                        + "AND ends_at > clock_timestamp() AND (kind IS NULL OR kind = $1) "
                        + "AND (agent_id IS NULL OR agent_id = $2) AND (severity IS NULL OR severity = $3) "
                        + "ORDER BY created_at LIMIT 1")
                .execute(Tuple.of(kind, agentId, severity == null ? null : severity.name()))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getUUID(0).toString()));
    }

    private static Silence first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static Silence map(Row r) {
        String severity = r.getString("severity");
        return new Silence(r.getUUID("id").toString(), r.getString("kind"), r.getString("agent_id"),
                severity == null ? null : Severity.valueOf(severity), r.getString("created_by"), r.getString("comment"),
                r.getOffsetDateTime("starts_at").toInstant(), r.getOffsetDateTime("ends_at").toInstant(),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }
}

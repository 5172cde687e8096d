package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.domain.alert.AlertStatus;
import io.trustplane.telemetry.domain.alert.NewAlert;
import io.trustplane.telemetry.domain.alert.Raised;
import io.trustplane.telemetry.domain.alert.Severity;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Alerts and their history. Deduplication is the partial unique index on open fingerprints. */
@ApplicationScoped
public class AlertRepository {

    private static final String COLUMNS = "id, fingerprint, source, kind, severity, status, agent_id, title, details, "
            + "occurrences, first_seen, last_seen, updated_at";

    /**
     * Whether a recurrence of an open alert is a new incident (1) or the same one seen again (0). A rule alert
     * counts when its numerator grew since the last pass that fired (new failures inside the window), not on every
     * pass over the same window; any other source (a gaming detection, a producer's signal) is an incident each time.
     */
    private static final String NEW_INCIDENT = "(CASE WHEN EXCLUDED.source <> 'RULE' OR COALESCE((EXCLUDED.details->>'value')::numeric, 0) "
            + "> COALESCE((alerts.details->>'value')::numeric, -1) THEN 1 ELSE 0 END)";

    private final Pool pool;

    public AlertRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Opens an alert, or records a recurrence of the open alert with the same fingerprint: its details are the
     * latest, its severity the highest seen, and {@code occurrences} grows only with a new incident (see
     * {@link #NEW_INCIDENT}).
     */
    public Uni<Raised> raise(SqlClient conn, NewAlert a, String actor) {
        return conn.preparedQuery("""
                INSERT INTO alerts (id, fingerprint, source, kind, severity, status, agent_id, title, details)
                VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7, $8)
                ON CONFLICT (fingerprint) WHERE status IN ('ACTIVE', 'INVESTIGATING')
                DO UPDATE SET occurrences = alerts.occurrences + %2$s,
                              last_seen = CASE WHEN %2$s = 1 THEN now() ELSE alerts.last_seen END,
                              updated_at = now(), details = EXCLUDED.details,
                              severity = CASE WHEN array_position(ARRAY['LOW','MEDIUM','HIGH','CRITICAL'], EXCLUDED.severity)
                                  > array_position(ARRAY['LOW','MEDIUM','HIGH','CRITICAL'], alerts.severity)
                                  THEN EXCLUDED.severity ELSE alerts.severity END
                RETURNING %1$s, (xmax = 0) AS inserted""".formatted(COLUMNS, NEW_INCIDENT))
                .execute(Tuple.from(List.of(UuidV7.next(), a.fingerprint(), a.source(), a.kind(),
                        a.severity().name(), a.agentId() == null ? "" : a.agentId(), a.title(),
                        new JsonObject(a.details()))))
                .map(rs -> rs.iterator().next())
                .flatMap(row -> {
                    Alert alert = map(row);
                    boolean inserted = row.getBoolean("inserted");
                    if (!inserted) {
                        return Uni.createFrom().item(new Raised(alert, false));
                    }
                    return history(conn, UUID.fromString(alert.id()), null, AlertStatus.ACTIVE, actor, a.title())
                            .replaceWith(new Raised(alert, true));
                });
    }

    public Uni<Optional<Alert>> find(SqlClient conn, UUID id, boolean forUpdate) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(map(rs.iterator().next())));
    }

    public Uni<Optional<Alert>> findWithHistory(UUID id) {
        return find(pool, id, false).flatMap(found -> found.isEmpty()
                ? Uni.createFrom().item(Optional.<Alert>empty())
                : historyOf(pool, id).map(h -> Optional.of(found.get().withHistory(h))));
    }

    /** {@code alert} with its history as {@code conn} sees it (inside the transaction that just moved it). */
    public Uni<Alert> withHistory(SqlClient conn, UUID id, Alert alert) {
        return historyOf(conn, id).map(alert::withHistory);
    }

    public Uni<Optional<Alert>> findByFingerprint(String fingerprint) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alerts WHERE fingerprint = $1 ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(fingerprint))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(map(rs.iterator().next())));
    }

    public Uni<Alert> updateStatus(SqlClient conn, UUID id, AlertStatus to) {
        return conn.preparedQuery("UPDATE alerts SET status = $2, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, to.name()))
                .map(rs -> map(rs.iterator().next()));
    }

    public Uni<Void> history(SqlClient conn, UUID id, AlertStatus from, AlertStatus to, String actor, String reason) {
        return conn.preparedQuery("""
                INSERT INTO alert_history (alert_id, from_status, to_status, actor, reason) VALUES ($1, $2, $3, $4, $5)""")
                .execute(Tuple.of(id, from == null ? null : from.name(), to.name(), actor, reason))
                .replaceWithVoid();
    }

    public Uni<List<Alert.HistoryEntry>> historyOf(SqlClient conn, UUID id) {
        return conn.preparedQuery("""
                SELECT from_status, to_status, actor, reason, at FROM alert_history WHERE alert_id = $1 ORDER BY id""")
                .execute(Tuple.of(id))
                .map(rs -> {
                    List<Alert.HistoryEntry> out = new ArrayList<>();
                    for (Row r : rs) {
                        String from = r.getString("from_status");
                        out.add(new Alert.HistoryEntry(from == null ? null : AlertStatus.valueOf(from),
                                AlertStatus.valueOf(r.getString("to_status")), r.getString("actor"),
                                r.getString("reason"), r.getOffsetDateTime("at")));
                    }
                    return out;
                });
    }

    /** Newest first, keyset on the time-ordered id: {@code cursor} is the last id of the previous page. */
    public Uni<List<Alert>> list(AlertStatus status, Severity severity, String agentId, UUID cursor, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " " + """
                 FROM alerts
                 WHERE ($1::text IS NULL OR status = $1)
                   AND ($2::text IS NULL OR severity = $2)
                   AND ($3::text IS NULL OR agent_id = $3)
                   AND ($4::uuid IS NULL OR id < $4)
                 ORDER BY id DESC LIMIT $5""")
                .execute(Tuple.of(status == null ? null : status.name(), severity == null ? null : severity.name(),
                        agentId, cursor, limit))
                .map(rs -> {
                    List<Alert> out = new ArrayList<>();
                    for (Row r : rs) {
                        out.add(map(r));
                    }
                    return out;
                });
    }

    /** Open alerts per severity, for stats. */
    public Uni<Map<String, Long>> openBySeverity() {
        return pool.query("""
                SELECT severity, count(*) AS n FROM alerts WHERE status IN ('ACTIVE', 'INVESTIGATING') GROUP BY severity""")
                .execute()
                .map(rs -> {
                    Map<String, Long> out = new java.util.LinkedHashMap<>();
                    for (Severity s : Severity.values()) {
                        out.put(s.name(), 0L);
                    }
                    for (Row r : rs) {
                        out.put(r.getString("severity"), r.getLong("n"));
                    }
                    return out;
                });
    }

    static Alert map(Row r) {
        String agent = r.getString("agent_id");
        JsonObject details = (JsonObject) r.getValue("details");
        return new Alert(r.getUUID("id").toString(), r.getString("fingerprint"), r.getString("source"),
                r.getString("kind"), Severity.valueOf(r.getString("severity")),
                AlertStatus.valueOf(r.getString("status")), agent == null || agent.isEmpty() ? null : agent,
                r.getString("title"), details == null ? Map.of() : details.getMap(), r.getInteger("occurrences"),
                r.getOffsetDateTime("first_seen"), r.getOffsetDateTime("last_seen"), r.getOffsetDateTime("updated_at"),
                null);
    }
}

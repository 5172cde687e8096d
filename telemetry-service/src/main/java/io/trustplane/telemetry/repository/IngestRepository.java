package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the effects of consumed events, always inside the caller's transaction together with the
 * {@code processed_events} row that makes a redelivery a no-op.
 */
@ApplicationScoped
public class IngestRepository {

    /**
     * Marks a batch of events processed, each id with its own type, and returns the ids that were new (nothing else
     * may be written for the others). Rows go in id order, so two consumers marking overlapping batches lock them
     * in the same order.
     */
    public Uni<Set<String>> markProcessed(SqlClient conn, List<String> eventIds, List<String> types) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return conn.preparedQuery("""
                INSERT INTO processed_events (event_id, event_type)
                SELECT DISTINCT ON (id) id, type FROM unnest($1::text[], $2::text[]) AS t(id, type) ORDER BY id
                ON CONFLICT DO NOTHING RETURNING event_id""")
                .execute(Tuple.of(eventIds.toArray(String[]::new), types.toArray(String[]::new)))
                .map(rs -> {
                    Set<String> fresh = new HashSet<>();
                    rs.forEach(r -> fresh.add(r.getString("event_id")));
                    return fresh;
                });
    }

    /** Marks many ids of one type processed and returns those that were new. */
    public Uni<Set<String>> markProcessed(SqlClient conn, List<String> eventIds, String type) {
        return markProcessed(conn, eventIds, Collections.nCopies(eventIds.size(), type));
    }

    public Uni<Void> score(SqlClient conn, String agentId, OffsetDateTime at, double score, String eventId) {
        return conn.preparedQuery("""
                INSERT INTO score_history (agent_id, at, score, event_id)
                VALUES ($1, LEAST(coalesce($2, now()), now()), $3, $4) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(agentId, at, score, eventId)).replaceWithVoid();
    }

    public Uni<Void> agentSeen(SqlClient conn, String agentId, String tier, Double score) {
        return conn.preparedQuery("""
                INSERT INTO agents_seen (agent_id, tier, score) VALUES ($1, coalesce($2, 'UNKNOWN'), $3)
                ON CONFLICT (agent_id) DO UPDATE SET tier = coalesce($2, agents_seen.tier),
                    score = coalesce($3, agents_seen.score), updated_at = now()""")
                .execute(Tuple.of(agentId, tier, score)).replaceWithVoid();
    }

    public Uni<Void> leaseAcquired(SqlClient conn, String leaseId) {
        return conn.preparedQuery("INSERT INTO leases_active (lease_id) VALUES ($1) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(leaseId)).replaceWithVoid();
    }

    public Uni<Void> leaseEnded(SqlClient conn, String leaseId) {
        return conn.preparedQuery("DELETE FROM leases_active WHERE lease_id = $1")
                .execute(Tuple.of(leaseId)).replaceWithVoid();
    }

    public Uni<Void> logSize(SqlClient conn, long size) {
        return conn.preparedQuery("""
                INSERT INTO log_size (id, tree_size) VALUES (1, $1)
                ON CONFLICT (id) DO UPDATE SET tree_size = GREATEST(log_size.tree_size, $1), updated_at = now()""")
                .execute(Tuple.of(size)).replaceWithVoid();
    }

    public Uni<Void> rollout(SqlClient conn, String flag, int percent, boolean active) {
        return conn.preparedQuery("""
                INSERT INTO rollouts (flag, percent, active, rolled_back_at)
                VALUES ($1, $2, $3, CASE WHEN $3 THEN NULL ELSE now() END)
                ON CONFLICT (flag) DO UPDATE SET percent = CASE WHEN $3 THEN $2 ELSE rollouts.percent END,
                    active = $3, rolled_back_at = CASE WHEN $3 THEN NULL ELSE now() END, updated_at = now()""")
                .execute(Tuple.of(flag, percent, active)).replaceWithVoid();
    }

    public Uni<Void> rolloutSample(SqlClient conn, String flag, boolean cohort, OffsetDateTime at, long requests,
            long errors, double p95, String eventId) {
        return conn.preparedQuery("""
                INSERT INTO rollout_samples (flag, cohort, at, requests, errors, p95_latency_ms, event_id)
                VALUES ($1, $2, LEAST(coalesce($3, now()), now()), $4, $5, $6, $7) ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(List.of(flag, cohort ? "COHORT" : "CONTROL", at == null ? OffsetDateTime.now() : at,
                        requests, errors, p95, eventId)))
                .replaceWithVoid();
    }

    /** The tables {@link #purgeOlderThan} trims, each with its statement. */
    public enum Purged {
        PROCESSED_EVENTS("DELETE FROM processed_events WHERE processed_at < now() - $1::bigint * interval '1 second'"),
        SCORE_HISTORY("DELETE FROM score_history WHERE at < now() - $1::bigint * interval '1 second'"),
        ROLLOUT_SAMPLES("DELETE FROM rollout_samples WHERE at < now() - $1::bigint * interval '1 second'");

        private final String sql;

        Purged(String sql) {
            this.sql = sql;
        }
    }

    /** Deletes the rows of one table older than the retention; answers how many. */
    public Uni<Integer> purgeOlderThan(SqlClient conn, Purged table, long retentionSeconds) {
        return conn.preparedQuery(table.sql).execute(Tuple.of(retentionSeconds)).map(rs -> rs.rowCount());
    }
}

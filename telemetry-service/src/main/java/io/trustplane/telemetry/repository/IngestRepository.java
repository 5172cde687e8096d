package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.ingest.BatchEffects;
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

    /** Stores a batch's score samples (a sample already stored for its event is left alone). */
    public Uni<Void> scores(SqlClient conn, List<BatchEffects.ScoreSample> samples) {
        if (samples.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = samples.size();
        String[] agents = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Double[] scores = new Double[n];
        String[] events = new String[n];
        for (int i = 0; i < n; i++) {
            BatchEffects.ScoreSample s = samples.get(i);
            agents[i] = s.agentId();
            times[i] = s.at();
            scores[i] = s.score();
            events[i] = s.eventId();
        }
        return conn.preparedQuery("""
                INSERT INTO score_history (agent_id, at, score, event_id)
                SELECT agent, LEAST(coalesce(ts, now()), now()), score, event
                  FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::text[]) AS t(agent, ts, score, event)
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(agents, times, scores, events)).replaceWithVoid();
    }

    /**
     * Upserts the agents' last known tier and score (one state per agent). A null score keeps the stored one; the
     * agents that came without a tier keep theirs too ('UNKNOWN' when new), so they go in a statement of their own.
     */
    public Uni<Void> agentsSeen(SqlClient conn, List<BatchEffects.AgentState> states) {
        List<BatchEffects.AgentState> withTier = states.stream().filter(s -> s.tier() != null).toList();
        List<BatchEffects.AgentState> withoutTier = states.stream().filter(s -> s.tier() == null).toList();
        return agentsSeen(conn, withTier, true).call(() -> agentsSeen(conn, withoutTier, false));
    }

    private Uni<Void> agentsSeen(SqlClient conn, List<BatchEffects.AgentState> states, boolean tierGiven) {
        if (states.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] agents = states.stream().map(BatchEffects.AgentState::agentId).toArray(String[]::new);
        String[] tiers = states.stream().map(BatchEffects.AgentState::tier).toArray(String[]::new);
        Double[] scores = states.stream().map(BatchEffects.AgentState::score).toArray(Double[]::new);
        return conn.preparedQuery("""
                INSERT INTO agents_seen (agent_id, tier, score)
                SELECT agent, coalesce(tier, 'UNKNOWN'), score
                  FROM unnest($1::text[], $2::text[], $3::float8[]) AS t(agent, tier, score) ORDER BY agent
                ON CONFLICT (agent_id) DO UPDATE SET
                    tier = CASE WHEN $4::boolean THEN EXCLUDED.tier ELSE agents_seen.tier END,
                    score = coalesce(EXCLUDED.score, agents_seen.score), updated_at = now()""")
                .execute(Tuple.of(agents, tiers, scores, tierGiven)).replaceWithVoid();
    }

    /** Adds leases to the inventory (one already there stays as it is). */
    public Uni<Void> leasesAcquired(SqlClient conn, List<String> leaseIds) {
        if (leaseIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                INSERT INTO leases_active (lease_id) SELECT id FROM unnest($1::text[]) AS t(id) ORDER BY id
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(leaseIds.toArray(String[]::new))).replaceWithVoid();
    }

    public Uni<Void> leasesEnded(SqlClient conn, List<String> leaseIds) {
        if (leaseIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("DELETE FROM leases_active WHERE lease_id = ANY($1::text[])")
                .execute(Tuple.of(leaseIds.toArray(String[]::new))).replaceWithVoid();
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

    /** Stores a batch's rollout samples (a sample already stored for its event is left alone). */
    public Uni<Void> rolloutSamples(SqlClient conn, List<BatchEffects.Sample> samples) {
        if (samples.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = samples.size();
        String[] flags = new String[n];
        String[] cohorts = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        Long[] requests = new Long[n];
        Long[] errors = new Long[n];
        Double[] p95 = new Double[n];
        String[] events = new String[n];
        for (int i = 0; i < n; i++) {
            BatchEffects.Sample s = samples.get(i);
            flags[i] = s.sample().flag();
            cohorts[i] = s.sample().cohort() ? "COHORT" : "CONTROL";
            times[i] = s.at() == null ? OffsetDateTime.now() : s.at();
            requests[i] = s.sample().requests();
            errors[i] = s.sample().errors();
            p95[i] = s.sample().p95LatencyMs();
            events[i] = s.eventId();
        }
        return conn.preparedQuery("""
                INSERT INTO rollout_samples (flag, cohort, at, requests, errors, p95_latency_ms, event_id)
                SELECT flag, cohort, LEAST(ts, now()), requests, errors, p95, event
                  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::float8[],
                              $7::text[]) AS t(flag, cohort, ts, requests, errors, p95, event)
                ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(new Object[] {flags, cohorts, times, requests, errors, p95, events}))
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

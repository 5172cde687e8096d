package io.trustplane.gate.repository;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.service.AgentListing;
import io.trustplane.gate.service.AgentQuery;
import io.trustplane.gate.service.AgentSnapshot;
import io.trustplane.gate.service.RegulatoryFramework;
import io.trustplane.gate.service.Tier;
import io.trustplane.gate.service.TierBands;
import io.trustplane.gate.service.TruthScore;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** SQL for agents, their score history and their verified outcomes. */
@ApplicationScoped
public class AgentRepository {

    private static final String COLUMNS = "agent_id, trust_score, frameworks, attributes, suspended, "
            + "suspended_reason, version, updated_at";

    private final Pool pool;
    private final IdempotentTransactions transactions;
    private final TierBands bands;

    public AgentRepository(Pool pool, TierBands bands, IdempotentTransactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
        this.bands = bands;
    }

    /** A score change as stored in history. */
    public record ScoreChange(long id, Integer oldScore, int newScore, int effectiveScore, String tier, String cause,
            String actor, Instant changedAt) {
    }

    /** Result of recording an outcome: the new agent state and the share that moved it. */
    public record OutcomeResult(AgentSnapshot agent, double truthShare, int delta, int outcomes) {
    }

    public Uni<AgentSnapshot> find(String agentId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM agents WHERE agent_id = $1")
                .execute(Tuple.of(agentId))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /**
     * One page of agents in creation order after the cursor. The effective score is worked out in SQL the way
     * {@link TierBands#effectiveScore} does (the strictest cap of the agent's frameworks), so a tier filter is a range
     * of it.
     */
    public Uni<List<AgentListing>> list(AgentQuery q) {
        List<String> names = new ArrayList<>(bands.caps().keySet());
        Integer[] caps = names.stream().map(bands.caps()::get).toArray(Integer[]::new);
        String effective = "LEAST(a.trust_score, COALESCE((SELECT min(c.cap) FROM unnest($1::text[], $2::int[]) "
                + "AS c(name, cap) WHERE c.name = ANY(a.frameworks)), 1000))";
        String sql = "SELECT " + COLUMNS.replaceAll("(^|, )", "$1a.") + ", a.created_at FROM agents a "
                + "WHERE ($3::text IS NULL OR a.agent_id = $3) "
                + "AND ($4::int IS NULL OR " + effective + " >= $4) AND ($5::int IS NULL OR " + effective + " <= $5) "
                + "AND ($6::boolean IS NULL OR a.suspended = $6) "
                + "AND ($7::int IS NULL OR a.trust_score >= $7) AND ($8::int IS NULL OR a.trust_score <= $8) "
                + "AND ($9::timestamptz IS NULL OR (a.created_at, a.agent_id) > ($9, $10)) "
                + "ORDER BY a.created_at, a.agent_id LIMIT $11";
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(names.toArray(String[]::new), caps,
                        q.agentId(), q.minEffective(), q.maxEffective(), q.suspended(), q.minScore(), q.maxScore(),
                        q.after() == null ? null : q.after().createdAt().atOffset(ZoneOffset.UTC),
                        q.after() == null ? null : q.after().id(), q.fetch())))
                .map(rows -> {
                    List<AgentListing> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new AgentListing(map(r), instant(r, "created_at"))));
                    return out;
                });
    }

    /** Creates or replaces an agent; a score change (or the first score) is written to history. */
    public Uni<AgentSnapshot> upsert(String agentId, int score, List<RegulatoryFramework> frameworks,
            Map<String, Object> attributes, String actor, InTransaction<AgentSnapshot> inTx) {
        String[] fw = frameworks.stream().map(Enum::name).distinct().toArray(String[]::new);
        JsonObject attrs = new JsonObject(attributes);
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT trust_score FROM agents WHERE agent_id = $1 FOR UPDATE")
                .execute(Tuple.of(agentId))
                .flatMap(existing -> {
                    Integer old = existing.size() == 0 ? null : existing.iterator().next().getInteger(0);
                    Uni<RowSet<Row>> write = old == null
                            ? conn.preparedQuery("INSERT INTO agents (agent_id, trust_score, frameworks, attributes) "
                                    + "VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS)
                                    .execute(Tuple.of(agentId, score, fw, attrs))
                            : conn.preparedQuery("UPDATE agents SET trust_score = $2, frameworks = $3, attributes = $4, "
                                    + "version = version + 1, updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                                    .execute(Tuple.of(agentId, score, fw, attrs));
                    return write.flatMap(rows -> {
                        AgentSnapshot agent = map(rows.iterator().next());
                        boolean scoreChanged = old == null || old != score;
                        return scoreChanged ? history(conn, agent, old, "REGISTRATION", actor) : Uni.createFrom().item(agent);
                    });
                }).call(agent -> inTx.apply(conn, agent)));
    }

    /** Suspends or reinstates; {@code inTx} runs in the same transaction with the changed agent (the outbox). */
    public Uni<AgentSnapshot> setSuspended(String agentId, boolean suspended, String reason,
            InTransaction<AgentSnapshot> inTx) {
        return transactions.withTransaction(pool, conn -> conn.preparedQuery("UPDATE agents SET suspended = $2, "
                        + "suspended_reason = $3, "
                        + "version = version + 1, updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(agentId, suspended, suspended ? reason : null))
                .map(rows -> rows.size() == 0 ? (AgentSnapshot) null : map(rows.iterator().next()))
                .call(a -> a == null ? Uni.createFrom().voidItem() : inTx.apply(conn, a)));
    }

    public Uni<List<ScoreChange>> history(String agentId, int limit) {
        return pool.preparedQuery("SELECT id, old_score, new_score, effective_score, tier, cause, actor, changed_at "
                        + "FROM agent_score_history WHERE agent_id = $1 ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(agentId, limit))
                .map(rows -> {
                    List<ScoreChange> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new ScoreChange(r.getLong(0), r.getInteger(1), r.getInteger(2), r.getInteger(3),
                                r.getString(4), r.getString(5), r.getString(6), instant(r, "changed_at")));
                    }
                    return out;
                });
    }

    /**
     * Stores a verified outcome and moves the trust score by the recency-weighted confirmed share of the agent's
     * latest {@code window} outcomes, all under the agent's row lock so concurrent outcomes do not lose updates.
     */
    public Uni<OutcomeResult> recordOutcome(String agentId, String claim, boolean confirmed, TruthScore truth,
            int window, String actor, InTransaction<AgentSnapshot> inTx) {
        return transactions.withTransaction(pool, conn -> conn
                .preparedQuery("SELECT trust_score FROM agents WHERE agent_id = $1 FOR UPDATE")
                .execute(Tuple.of(agentId))
                .flatMap(locked -> {
                    if (locked.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    int old = locked.iterator().next().getInteger(0);
                    return conn.preparedQuery("INSERT INTO agent_outcomes (agent_id, claim, confirmed) VALUES ($1, $2, $3)")
                            .execute(Tuple.of(agentId, claim, confirmed))
                            .flatMap(x -> conn.preparedQuery("SELECT confirmed FROM agent_outcomes WHERE agent_id = $1 "
                                    + "ORDER BY id DESC LIMIT $2").execute(Tuple.of(agentId, window)))
                            .flatMap(rows -> {
                                List<Boolean> newestFirst = new ArrayList<>();
                                rows.forEach(r -> newestFirst.add(r.getBoolean(0)));
                                double share = truth.share(newestFirst);
                                int delta = truth.delta(share);
                                int score = TruthScore.clamp(old + delta);
                                return conn.preparedQuery("UPDATE agents SET trust_score = $2, version = version + 1, "
                                                + "updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                                        .execute(Tuple.of(agentId, score))
                                        .flatMap(updated -> {
                                            AgentSnapshot agent = map(updated.iterator().next());
                                            Uni<AgentSnapshot> h = score != old
                                                    ? history(conn, agent, old, "TRUTH_SCORE", actor)
                                                    : Uni.createFrom().item(agent);
                                            return h.map(a -> new OutcomeResult(a, share, score - old, newestFirst.size()));
                                        });
                            });
                }).call(r -> r == null ? Uni.createFrom().voidItem() : inTx.apply(conn, r.agent())));
    }

    private Uni<AgentSnapshot> history(SqlConnection conn, AgentSnapshot agent, Integer old, String cause, String actor) {
        return conn.preparedQuery("INSERT INTO agent_score_history (agent_id, old_score, new_score, effective_score, "
                        + "tier, cause, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(Arrays.asList(agent.agentId(), old, agent.trustScore(), agent.effectiveScore(),
                        agent.tier().name(), cause, actor)))
                .replaceWith(agent);
    }

    private AgentSnapshot map(Row r) {
        String[] fw = r.getArrayOfStrings("frameworks");
        List<RegulatoryFramework> frameworks = fw == null ? List.of()
                : Arrays.stream(fw).map(RegulatoryFramework::valueOf).toList();
        int score = r.getInteger("trust_score");
        int effective = bands.effectiveScore(score, frameworks);
        Tier tier = bands.tierOf(effective);
        JsonObject attrs = r.getJsonObject("attributes");
        return new AgentSnapshot(r.getString("agent_id"), score, effective, tier, frameworks,
                attrs == null ? Map.of() : attrs.getMap(), r.getBoolean("suspended"), r.getString("suspended_reason"),
                r.getLong("version"), instant(r, "updated_at"));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}

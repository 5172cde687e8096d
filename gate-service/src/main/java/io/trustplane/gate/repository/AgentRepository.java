package io.trustplane.gate.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.AgentListing;
import io.trustplane.gate.domain.AgentQuery;
import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Containment;
import io.trustplane.gate.domain.RegulatoryFramework;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.domain.TierBands;
import io.trustplane.gate.domain.TruthScore;
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
            + "suspended_reason, version, updated_at, containment";

    private final Pool pool;
    private final IdempotentTransactions transactions;
    private final TierBands bands;
    private final ObjectMapper mapper;

    public AgentRepository(Pool pool, TierBands bands, ObjectMapper mapper, IdempotentTransactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
        this.bands = bands;
        this.mapper = mapper;
    }

    /** Builds the containment to store from the one stored (null if none) and what this transaction found. */
    @FunctionalInterface
    public interface Containing {
        Containment apply(Containment prior, List<String> approvalsRevoked, List<String> activeFlags);
    }

    /** A containment's outcome: the agent after it, and whether this call changed anything. */
    public record Contained(AgentSnapshot agent, boolean changed) {
    }

    /** A lifted containment: the agent after it and the containment it had. */
    public record Lifted(AgentSnapshot agent, Containment lifted) {
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

    /**
     * Contains an agent under its row lock: unless it is contained already with every step done, revokes its open
     * approvals (open escalations, and approved ones not used yet) as {@code revokedBy}, reads the flags it is pinned
     * to control in (every flag not rolled back) and stores what {@code containing} builds from them. Null when the
     * agent is not registered; {@code inTx} runs with the changed agent in the same transaction.
     */
    public Uni<Contained> contain(String agentId, String revokedBy, String revokeNote, Containing containing,
            InTransaction<AgentSnapshot> inTx) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM agents WHERE agent_id = $1 "
                        + "FOR UPDATE").execute(Tuple.of(agentId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    AgentSnapshot before = map(rows.iterator().next());
                    if (before.contained() && before.containment().complete()) {
                        return Uni.createFrom().item(new Contained(before, false));
                    }
                    Uni<List<String>> revoked = conn.preparedQuery("UPDATE escalations SET status = 'REJECTED', "
                                    + "decision = 'DENY', decided_by = $2, decision_note = $3, decided_at = now() "
                                    + "WHERE agent_id = $1 AND (status IN ('OPEN', 'AWAITING_OPERATOR') "
                                    + "OR (status = 'APPROVED' AND id IN (SELECT escalation_id FROM tool_calls "
                                    + "WHERE agent_id = $1 AND decision = 'ESCALATE' AND approval_used_at IS NULL "
                                    + "AND escalation_id IS NOT NULL))) RETURNING id")
                            .execute(Tuple.of(agentId, revokedBy, revokeNote))
                            .map(r -> strings(r, true));
                    Uni<List<String>> flags = conn.query("SELECT flag FROM flags WHERE status <> 'ROLLED_BACK' "
                            + "ORDER BY flag").execute().map(r -> strings(r, false));
                    return revoked.flatMap(approvals -> flags.flatMap(active -> {
                        Containment after = containing.apply(before.containment(), approvals, active);
                        return conn.preparedQuery("UPDATE agents SET containment = $2, version = version + 1, "
                                        + "updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                                .execute(Tuple.of(agentId, json(after)))
                                .map(updated -> new Contained(map(updated.iterator().next()), true))
                                .call(c -> inTx.apply(conn, c.agent()));
                    }));
                }));
    }

    /**
     * Lifts an agent's containment under its row lock; {@code check} sees the containment it had (null: none) and
     * may refuse. Null when the agent is not registered; {@code inTx} runs in the same transaction.
     */
    public Uni<Lifted> lift(String agentId, java.util.function.Consumer<Containment> check,
            InTransaction<Lifted> inTx) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM agents WHERE agent_id = $1 "
                        + "FOR UPDATE").execute(Tuple.of(agentId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Containment had = map(rows.iterator().next()).containment();
                    check.accept(had);
                    return conn.preparedQuery("UPDATE agents SET containment = NULL, version = version + 1, "
                                    + "updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                            .execute(Tuple.of(agentId))
                            .map(updated -> new Lifted(map(updated.iterator().next()), had))
                            .call(l -> inTx.apply(conn, l));
                }));
    }

    private static List<String> strings(RowSet<Row> rows, boolean uuid) {
        List<String> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(uuid ? r.getUUID(0).toString() : r.getString(0)));
        return out;
    }

    private JsonObject json(Containment c) {
        return new JsonObject(mapper.convertValue(c, new TypeReference<Map<String, Object>>() {
        }));
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
                r.getLong("version"), instant(r, "updated_at"), containment(r.getJsonObject("containment")));
    }

    private Containment containment(JsonObject stored) {
        return stored == null ? null : mapper.convertValue(stored.getMap(), Containment.class);
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}

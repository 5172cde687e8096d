package io.trustplane.gate.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.AgentListing;
import io.trustplane.gate.domain.AgentQuery;
import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Containment;
import io.trustplane.gate.domain.RegulatoryFramework;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.domain.TierBands;
import io.trustplane.gate.domain.ScoreChange;
import io.trustplane.gate.repository.entity.ScoreHistoryEntity;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * SQL for agents, their score history and their verified outcomes. Only the score history route reads through
 * Hibernate Reactive ({@link ScoreHistoryEntity}); the agent itself stays SQL: its snapshot feeds the evaluate,
 * ceiling and tool-call paths, every change runs under its row lock with an outbox event (most in a transaction
 * holding the request's Idempotency-Key), and the list filters by the effective score computed in SQL.
 */
@ApplicationScoped
public class AgentRepository {

    private static final String COLUMNS = "agent_id, trust_score, frameworks, attributes, suspended, "
            + "suspended_reason, version, updated_at, containment";

    private final Pool pool;
    private final Mutiny.SessionFactory sessions;
    private final TierBands bands;
    private final ObjectMapper mapper;

    public AgentRepository(Pool pool, Mutiny.SessionFactory sessions, TierBands bands, ObjectMapper mapper) {
        this.pool = pool;
        this.sessions = sessions;
        this.bands = bands;
        this.mapper = mapper;
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

    /** The agent under its row lock in {@code conn}'s transaction, or null if it is not registered. */
    public Uni<AgentSnapshot> lock(SqlConnection conn, String agentId) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM agents WHERE agent_id = $1 FOR UPDATE")
                .execute(Tuple.of(agentId))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** The agent's trust score under its row lock, or null if it is not registered. */
    public Uni<Integer> lockScore(SqlConnection conn, String agentId) {
        return conn.preparedQuery("SELECT trust_score FROM agents WHERE agent_id = $1 FOR UPDATE")
                .execute(Tuple.of(agentId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
    }

    public Uni<AgentSnapshot> insert(SqlConnection conn, String agentId, int score,
            List<RegulatoryFramework> frameworks, Map<String, Object> attributes) {
        return conn.preparedQuery("INSERT INTO agents (agent_id, trust_score, frameworks, attributes) "
                        + "VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS)
                .execute(Tuple.of(agentId, score, frameworks(frameworks), new JsonObject(attributes)))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<AgentSnapshot> update(SqlConnection conn, String agentId, int score,
            List<RegulatoryFramework> frameworks, Map<String, Object> attributes) {
        return conn.preparedQuery("UPDATE agents SET trust_score = $2, frameworks = $3, attributes = $4, "
                        + "version = version + 1, updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(agentId, score, frameworks(frameworks), new JsonObject(attributes)))
                .map(rows -> map(rows.iterator().next()));
    }

    /** Suspends or reinstates; null when the agent is not registered. */
    public Uni<AgentSnapshot> setSuspended(SqlConnection conn, String agentId, boolean suspended, String reason) {
        return conn.preparedQuery("UPDATE agents SET suspended = $2, suspended_reason = $3, "
                        + "version = version + 1, updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(agentId, suspended, suspended ? reason : null))
                .map(rows -> rows.size() == 0 ? (AgentSnapshot) null : map(rows.iterator().next()));
    }

    /** Stores the agent's containment (null lifts it). */
    public Uni<AgentSnapshot> setContainment(SqlConnection conn, String agentId, Containment containment) {
        return (containment == null
                ? conn.preparedQuery("UPDATE agents SET containment = NULL, version = version + 1, "
                        + "updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS).execute(Tuple.of(agentId))
                : conn.preparedQuery("UPDATE agents SET containment = $2, version = version + 1, "
                        + "updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                        .execute(Tuple.of(agentId, json(containment))))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<AgentSnapshot> setScore(SqlConnection conn, String agentId, int score) {
        return conn.preparedQuery("UPDATE agents SET trust_score = $2, version = version + 1, "
                        + "updated_at = now() WHERE agent_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(agentId, score))
                .map(rows -> map(rows.iterator().next()));
    }

    private static String[] frameworks(List<RegulatoryFramework> frameworks) {
        return frameworks.stream().map(Enum::name).distinct().toArray(String[]::new);
    }

    private JsonObject json(Containment c) {
        return new JsonObject(mapper.convertValue(c, new TypeReference<Map<String, Object>>() {
        }));
    }

    /** The agent's latest {@code limit} score changes, newest first. */
    public Uni<List<ScoreChange>> history(String agentId, int limit) {
        return sessions.withStatelessSession(s -> s.createSelectionQuery(
                                "from ScoreHistoryEntity where agentId = :agentId order by id desc", ScoreHistoryEntity.class)
                        .setParameter("agentId", agentId).setMaxResults(limit).getResultList())
                .map(rows -> rows.stream().map(h -> new ScoreChange(h.id, h.oldScore, h.newScore, h.effectiveScore,
                        h.tier, h.cause, h.actor, h.changedAt)).toList());
    }

    public Uni<Void> insertOutcome(SqlConnection conn, String agentId, String claim, boolean confirmed) {
        return conn.preparedQuery("INSERT INTO agent_outcomes (agent_id, claim, confirmed) VALUES ($1, $2, $3)")
                .execute(Tuple.of(agentId, claim, confirmed)).replaceWithVoid();
    }

    /** The agent's latest {@code window} outcomes, newest first. */
    public Uni<List<Boolean>> latestOutcomes(SqlConnection conn, String agentId, int window) {
        return conn.preparedQuery("SELECT confirmed FROM agent_outcomes WHERE agent_id = $1 "
                        + "ORDER BY id DESC LIMIT $2").execute(Tuple.of(agentId, window))
                .map(rows -> {
                    List<Boolean> newestFirst = new ArrayList<>();
                    rows.forEach(r -> newestFirst.add(r.getBoolean(0)));
                    return newestFirst;
                });
    }

    /** Appends a score change of {@code agent} (from {@code old}, null for the first score) to its history. */
    public Uni<AgentSnapshot> recordScore(SqlConnection conn, AgentSnapshot agent, Integer old, String cause,
            String actor) {
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

    public static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}

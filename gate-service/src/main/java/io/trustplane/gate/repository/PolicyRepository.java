package io.trustplane.gate.repository;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.PolicyRule;
import io.trustplane.gate.domain.PolicySet;
import io.trustplane.gate.domain.Tier;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for policies: every change bumps the policy's version and appends a revision row. */
@ApplicationScoped
public class PolicyRepository {

    private static final String COLUMNS = "id, name, priority, role, tiers, actions, resource_pattern, effect, "
            + "enabled, version, created_at, updated_at";

    private final Pool pool;
    private final IdempotentTransactions transactions;

    public PolicyRepository(Pool pool, IdempotentTransactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
    }

    /** A stored policy. */
    public record PolicyRecord(String id, String name, int priority, String role, List<Tier> tiers,
            List<String> actions, String resourcePattern, Decision effect, boolean enabled, long version,
            Instant createdAt, Instant updatedAt) {

        public PolicyRule rule() {
            return PolicyRule.of(id, name, priority, role, tiers, actions, resourcePattern, effect, enabled, version);
        }
    }

    /** The fields an admin sets. */
    public record PolicyFields(String name, int priority, String role, List<Tier> tiers, List<String> actions,
            String resourcePattern, Decision effect, boolean enabled) {
    }

    /**
     * Loads every live policy. The revision is read first, so the rules are at least as new as the revision they
     * are labelled with; a change racing the load triggers another reload through its own invalidation.
     */
    public Uni<PolicySet> loadAll() {
        return pool.query("SELECT coalesce(max(revision), 0) FROM policy_revisions").execute()
                .flatMap(rev -> pool.query("SELECT " + COLUMNS + " FROM policies WHERE NOT deleted").execute()
                        .map(rows -> {
                            List<PolicyRule> rules = new ArrayList<>();
                            rows.forEach(r -> rules.add(map(r).rule()));
                            return new PolicySet(rev.iterator().next().getLong(0), rules);
                        }));
    }

    public Uni<List<PolicyRecord>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM policies WHERE NOT deleted ORDER BY priority DESC, id")
                .execute()
                .map(rows -> {
                    List<PolicyRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<PolicyRecord> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM policies WHERE id = $1 AND NOT deleted")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<PolicyRecord> create(PolicyFields f, String actor) {
        String id = UUID.randomUUID().toString();
        return transactions.withTransaction(pool, conn -> conn
                .preparedQuery("INSERT INTO policies (id, name, priority, role, tiers, actions, resource_pattern, "
                        + "effect, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, f.name(), f.priority(), f.role(), tiers(f), actions(f),
                        f.resourcePattern(), f.effect().name(), f.enabled())))
                .flatMap(rows -> revision(conn, map(rows.iterator().next()), "CREATED", actor)));
    }

    /** Replaces a policy if {@code expectedVersion} (when given) still matches; null when absent or stale. */
    public Uni<PolicyRecord> update(String id, PolicyFields f, Long expectedVersion, String actor) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("UPDATE policies SET name = $2, priority = $3, role = $4, tiers = $5, actions = $6, "
                        + "resource_pattern = $7, effect = $8, enabled = $9, version = version + 1, updated_at = now() "
                        + "WHERE id = $1 AND NOT deleted AND ($10::bigint IS NULL OR version = $10) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, f.name(), f.priority(), f.role(), tiers(f), actions(f),
                        f.resourcePattern(), f.effect().name(), f.enabled(), expectedVersion)))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<PolicyRecord>nullItem()
                        : revision(conn, map(rows.iterator().next()), "UPDATED", actor)));
    }

    public Uni<PolicyRecord> delete(String id, String actor) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("UPDATE policies SET deleted = true, version = version + 1, updated_at = now() "
                        + "WHERE id = $1 AND NOT deleted RETURNING " + COLUMNS)
                .execute(Tuple.of(id))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<PolicyRecord>nullItem()
                        : revision(conn, map(rows.iterator().next()), "DELETED", actor)));
    }

    private Uni<PolicyRecord> revision(SqlConnection conn, PolicyRecord p, String change, String actor) {
        JsonObject snapshot = new JsonObject(Map.of("name", p.name(), "priority", p.priority(),
                "role", p.role() == null ? "" : p.role(), "tiers", p.tiers().stream().map(Enum::name).toList(),
                "actions", p.actions(), "resourcePattern", p.resourcePattern(), "effect", p.effect().name(),
                "enabled", p.enabled()));
        return conn.preparedQuery("INSERT INTO policy_revisions (policy_id, version, change, snapshot, actor) "
                        + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(p.id(), p.version(), change, snapshot, actor))
                .replaceWith(p);
    }

    private static String[] tiers(PolicyFields f) {
        return f.tiers() == null ? new String[0] : f.tiers().stream().map(Enum::name).distinct().toArray(String[]::new);
    }

    private static String[] actions(PolicyFields f) {
        return f.actions() == null ? new String[0] : f.actions().toArray(String[]::new);
    }

    private static PolicyRecord map(Row r) {
        String[] tiers = r.getArrayOfStrings("tiers");
        String[] actions = r.getArrayOfStrings("actions");
        return new PolicyRecord(r.getString("id"), r.getString("name"), r.getInteger("priority"), r.getString("role"),
                tiers == null ? List.of() : Arrays.stream(tiers).map(Tier::valueOf).toList(),
                actions == null ? List.of() : List.of(actions), r.getString("resource_pattern"),
                Decision.valueOf(r.getString("effect")), r.getBoolean("enabled"), r.getLong("version"),
                AgentRepository.instant(r, "created_at"), AgentRepository.instant(r, "updated_at"));
    }
}

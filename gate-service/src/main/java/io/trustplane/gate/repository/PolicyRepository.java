package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.PolicyFields;
import io.trustplane.gate.domain.PolicyRecord;
import io.trustplane.gate.domain.PolicyRule;
import io.trustplane.gate.domain.PolicySet;
import io.trustplane.gate.domain.Tier;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** SQL for policies: every change bumps the policy's version and appends a revision row. */
@ApplicationScoped
public class PolicyRepository {

    private static final String COLUMNS = "id, name, priority, role, tiers, actions, resource_pattern, effect, "
            + "enabled, version, created_at, updated_at";

    private final Pool pool;
    public PolicyRepository(Pool pool) {
        this.pool = pool;
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

    public Uni<PolicyRecord> insert(SqlConnection conn, String id, PolicyFields f) {
        return conn.preparedQuery("INSERT INTO policies (id, name, priority, role, tiers, actions, resource_pattern, "
                        + "effect, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, f.name(), f.priority(), f.role(), tiers(f), actions(f),
                        f.resourcePattern(), f.effect().name(), f.enabled())))
                .map(rows -> map(rows.iterator().next()));
    }

    /** Replaces a policy if {@code expectedVersion} (when given) still matches; null when absent or stale. */
    public Uni<PolicyRecord> update(SqlConnection conn, String id, PolicyFields f, Long expectedVersion) {
        return conn.preparedQuery("UPDATE policies SET name = $2, priority = $3, role = $4, tiers = $5, actions = $6, "
                        + "resource_pattern = $7, effect = $8, enabled = $9, version = version + 1, updated_at = now() "
                        + "WHERE id = $1 AND NOT deleted AND ($10::bigint IS NULL OR version = $10) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, f.name(), f.priority(), f.role(), tiers(f), actions(f),
                        f.resourcePattern(), f.effect().name(), f.enabled(), expectedVersion)))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** Marks a policy deleted; null when there is no live policy of that id. */
    public Uni<PolicyRecord> delete(SqlConnection conn, String id) {
        return conn.preparedQuery("UPDATE policies SET deleted = true, version = version + 1, updated_at = now() "
                        + "WHERE id = $1 AND NOT deleted RETURNING " + COLUMNS)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** Appends the policy as it now is to the revision log ({@code change}: CREATED, UPDATED or DELETED). */
    public Uni<PolicyRecord> revision(SqlConnection conn, PolicyRecord p, String change, String actor) {
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

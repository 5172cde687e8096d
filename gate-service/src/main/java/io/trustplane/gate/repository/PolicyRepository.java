package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.PolicyFields;
import io.trustplane.gate.domain.PolicyRecord;
import io.trustplane.gate.domain.PolicyRule;
import io.trustplane.gate.domain.PolicySet;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.repository.entity.PolicyEntity;
import io.trustplane.gate.repository.entity.PolicyRevisionEntity;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Policies and their revisions: every change bumps the policy's version and appends a revision row. The admin side
 * (list, get, update, delete) maps the rows as entities ({@link PolicyEntity}, {@link PolicyRevisionEntity}) through
 * Hibernate Reactive; the creation (whose transaction holds the request's Idempotency-Key until its answer is
 * stored) and the full load the evaluations' cache reads stay SQL on the reactive client.
 */
@ApplicationScoped
public class PolicyRepository {

    private static final String COLUMNS = "id, name, priority, role, tiers, actions, resource_pattern, effect, "
            + "enabled, version, created_at, updated_at";

    private final Pool pool;
    private final Mutiny.SessionFactory sessions;

    public PolicyRepository(Pool pool, Mutiny.SessionFactory sessions) {
        this.pool = pool;
        this.sessions = sessions;
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
        return sessions.withStatelessSession(s -> s.createSelectionQuery(
                        "from PolicyEntity where deleted = false order by priority desc, id", PolicyEntity.class)
                .getResultList())
                .map(rows -> rows.stream().map(PolicyRepository::record).toList());
    }

    public Uni<PolicyRecord> find(String id) {
        return sessions.withStatelessSession(s -> s.get(PolicyEntity.class, id))
                .map(e -> e == null || e.deleted ? null : record(e));
    }

    public Uni<PolicyRecord> insert(SqlConnection conn, String id, PolicyFields f) {
        return conn.preparedQuery("INSERT INTO policies (id, name, priority, role, tiers, actions, resource_pattern, "
                        + "effect, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, f.name(), f.priority(), f.role(), tiers(f), actions(f),
                        f.resourcePattern(), f.effect().name(), f.enabled())))
                .map(rows -> map(rows.iterator().next()));
    }

    /**
     * Replaces a live policy in {@code session}'s transaction; null when it is absent or not at {@code expectedVersion}.
     * With an expected version the row is read unlocked and {@code @Version} refuses the write if it moved on
     * meanwhile ({@link #isStale}); without one the row is locked, so concurrent unconditional updates apply one
     * after the other as the single {@code UPDATE} they replace did.
     */
    public Uni<PolicyRecord> update(Mutiny.Session session, String id, PolicyFields f, Long expectedVersion) {
        LockModeType lock = expectedVersion == null ? LockModeType.PESSIMISTIC_WRITE : LockModeType.NONE;
        return session.find(PolicyEntity.class, id, lock).flatMap(e -> {
            if (e == null || e.deleted || (expectedVersion != null && e.version != expectedVersion)) {
                return Uni.createFrom().nullItem();
            }
            e.name = f.name();
            e.priority = f.priority();
            e.role = f.role();
            e.tiers = tiers(f);
            e.actions = actions(f);
            e.resourcePattern = f.resourcePattern();
            e.effect = f.effect();
            e.enabled = f.enabled();
            e.updatedAt = now();
            // flushed now, so the answer carries the version the write bumped
            return session.flush().map(x -> record(e));
        });
    }

    /** Marks a policy deleted in {@code session}'s transaction (under its row lock); null when none is live. */
    public Uni<PolicyRecord> delete(Mutiny.Session session, String id) {
        return session.find(PolicyEntity.class, id, LockModeType.PESSIMISTIC_WRITE).flatMap(e -> {
            if (e == null || e.deleted) {
                return Uni.createFrom().nullItem();
            }
            e.deleted = true;
            e.updatedAt = now();
            return session.flush().map(x -> record(e));
        });
    }

    /** Appends the policy as it now is to the revision log, in {@code session}'s transaction. */
    public Uni<PolicyRecord> revision(Mutiny.Session session, PolicyRecord p, String change, String actor) {
        PolicyRevisionEntity r = new PolicyRevisionEntity();
        r.policyId = p.id();
        r.version = p.version();
        r.change = change;
        r.snapshot = snapshot(p).encode();
        r.actor = actor;
        return session.persist(r).replaceWith(p);
    }

    /** Whether {@code failure} is a write refused because the policy changed since it was read (a 409). */
    public static boolean isStale(Throwable failure) {
        return failure instanceof OptimisticLockException || failure instanceof StaleStateException;
    }

    /** Appends the policy as it now is to the revision log ({@code change}: CREATED, UPDATED or DELETED). */
    public Uni<PolicyRecord> revision(SqlConnection conn, PolicyRecord p, String change, String actor) {
        return conn.preparedQuery("INSERT INTO policy_revisions (policy_id, version, change, snapshot, actor) "
                        + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(p.id(), p.version(), change, snapshot(p), actor))
                .replaceWith(p);
    }

    private static JsonObject snapshot(PolicyRecord p) {
        return new JsonObject(Map.of("name", p.name(), "priority", p.priority(),
                "role", p.role() == null ? "" : p.role(), "tiers", p.tiers().stream().map(Enum::name).toList(),
                "actions", p.actions(), "resourcePattern", p.resourcePattern(), "effect", p.effect().name(),
                "enabled", p.enabled()));
    }

    // what now() would have stored, at the column's precision
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String[] tiers(PolicyFields f) {
        return f.tiers() == null ? new String[0] : f.tiers().stream().map(Enum::name).distinct().toArray(String[]::new);
    }

    private static String[] actions(PolicyFields f) {
        return f.actions() == null ? new String[0] : f.actions().toArray(String[]::new);
    }

    private static PolicyRecord record(PolicyEntity e) {
        return new PolicyRecord(e.id, e.name, e.priority, e.role,
                e.tiers == null ? List.of() : Arrays.stream(e.tiers).map(Tier::valueOf).toList(),
                e.actions == null ? List.of() : List.of(e.actions), e.resourcePattern, e.effect, e.enabled, e.version,
                e.createdAt, e.updatedAt);
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

package io.trustplane.telemetry.repository;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.alert.AlertRule;
import io.trustplane.telemetry.domain.alert.RuleKind;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.repository.entity.RuleEntity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.exception.ConstraintViolationException;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alert rules: the built-in ones of the migrations and the ones admins add. The admin reads and writes map
 * {@link RuleEntity} with Hibernate Reactive and run in the caller's Panache session or transaction; the rule engine's
 * load ({@link #forEvaluation()}) stays on the SQL client, as it runs on scheduler threads outside any Vert.x context.
 */
@ApplicationScoped
public class RuleRepository {

    private static final String COLUMNS = "id, name, description, kind, counter, denominator, window_seconds, "
            + "threshold, min_denominator, severity, enabled, builtin, version";
    private static final Sort ORDER = Sort.descending("builtin").and("id");
    /** A new rule's version, as the column's default. */
    private static final int FIRST_VERSION = 1;
    private static final String UNIQUE_VIOLATION = "23505";

    private final Pool pool;

    public RuleRepository(Pool pool) {
        this.pool = pool;
    }

    /** Every rule, built-ins first (needs a session). */
    public Uni<List<AlertRule>> all() {
        return RuleEntity.<RuleEntity>listAll(ORDER).map(rules -> rules.stream().map(RuleRepository::toRule).toList());
    }

    /** One rule (needs a session). */
    public Uni<Optional<AlertRule>> find(String id) {
        return RuleEntity.<RuleEntity>findById(id).map(e -> Optional.ofNullable(e).map(RuleRepository::toRule));
    }

    /**
     * Inserts a custom rule (needs a transaction); empty if the id is taken. An insert racing another with the same
     * id fails at commit instead: {@link #isDuplicateId} tells that failure apart.
     */
    public Uni<Optional<AlertRule>> insert(AlertRule r) {
        return RuleEntity.<RuleEntity>findById(r.id()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(Optional.<AlertRule>empty());
            }
            RuleEntity e = new RuleEntity();
            e.id = r.id();
            copy(r, e);
            e.builtin = false;
            e.version = FIRST_VERSION;
            return e.persist().map(ignored -> Optional.of(toRule(e)));
        });
    }

    /**
     * Replaces a rule's definition and adds one to its version (needs a transaction); empty if unknown. The row is
     * locked first, so concurrent updates follow one another as the single UPDATE statement did, rather than one
     * failing on the version check.
     */
    public Uni<Optional<AlertRule>> update(AlertRule r) {
        return RuleEntity.<RuleEntity>findById(r.id(), LockModeType.PESSIMISTIC_WRITE).flatMap(e -> {
            if (e == null) {
                return Uni.createFrom().item(Optional.<AlertRule>empty());
            }
            copy(r, e);
            // always a change, so an update that repeats the definition still counts a version as it did
            e.updatedAt = OffsetDateTime.now();
            return e.flush().map(ignored -> Optional.of(toRule(e)));
        });
    }

    /** Deletes a custom rule (needs a transaction); false when there is none with this id. */
    public Uni<Boolean> deleteCustom(String id) {
        return RuleEntity.delete("id = ?1 and builtin = false", id).map(n -> n > 0);
    }

    /** Whether a failed insert lost a race for its id (the primary key refused it). */
    public static boolean isDuplicateId(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException c
                    && c.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every rule, as the rule engine's cache loads it: on the SQL client, since the engine reloads from scheduler
     * threads (no Vert.x context for a Hibernate Reactive session) and waits for the answer.
     */
    public Uni<List<AlertRule>> forEvaluation() {
        return pool.query("SELECT " + COLUMNS + " FROM alert_rules ORDER BY builtin DESC, id").execute()
                .map(rs -> {
                    List<AlertRule> out = new ArrayList<>();
                    rs.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    private static void copy(AlertRule r, RuleEntity e) {
        e.name = r.name();
        e.description = r.description();
        e.kind = r.kind();
        e.counter = r.counter();
        e.denominator = r.denominator();
        e.windowSeconds = r.windowSeconds();
        e.threshold = r.threshold();
        e.minDenominator = r.minDenominator();
        e.severity = r.severity();
        e.enabled = r.enabled();
    }

    private static AlertRule toRule(RuleEntity e) {
        return new AlertRule(e.id, e.name, e.description, e.kind, e.counter, e.denominator, e.windowSeconds,
                e.threshold, e.minDenominator, e.severity, e.enabled, e.builtin, e.version);
    }

    private static AlertRule map(Row r) {
        return new AlertRule(r.getString("id"), r.getString("name"), r.getString("description"),
                RuleKind.valueOf(r.getString("kind")), r.getString("counter"), r.getString("denominator"),
                r.getInteger("window_seconds"), r.getDouble("threshold"), r.getLong("min_denominator"),
                Severity.valueOf(r.getString("severity")), r.getBoolean("enabled"), r.getBoolean("builtin"),
                r.getInteger("version"));
    }
}

package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.alert.AlertRule;
import io.trustplane.telemetry.domain.alert.RuleKind;
import io.trustplane.telemetry.domain.alert.Severity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Alert rules: the five built in by the migration and the ones admins add. */
@ApplicationScoped
public class RuleRepository {

    private static final String COLUMNS = "id, name, description, kind, counter, denominator, window_seconds, "
            + "threshold, min_denominator, severity, enabled, builtin, version";

    private final Pool pool;

    public RuleRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<AlertRule>> all() {
        return pool.query("SELECT " + COLUMNS + " FROM alert_rules ORDER BY builtin DESC, id").execute()
                .map(rs -> {
                    List<AlertRule> out = new ArrayList<>();
                    rs.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Optional<AlertRule>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE id = $1").execute(Tuple.of(id))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(map(rs.iterator().next())));
    }

    /** Inserts; empty if the id is taken. */
    public Uni<Optional<AlertRule>> insert(AlertRule r) {
        return pool.preparedQuery("""
                INSERT INTO alert_rules (id, name, description, kind, counter, denominator, window_seconds, threshold,
                                         min_denominator, severity, enabled, builtin)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, FALSE)
                ON CONFLICT (id) DO NOTHING RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(Arrays.asList(r.id(), r.name(), r.description(), r.kind().name(), r.counter(),
                        r.denominator(), r.windowSeconds(), r.threshold(), r.minDenominator(), r.severity().name(),
                        r.enabled())))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(map(rs.iterator().next())));
    }

    public Uni<Optional<AlertRule>> update(AlertRule r) {
        return pool.preparedQuery("""
                UPDATE alert_rules SET name = $2, description = $3, kind = $4, counter = $5, denominator = $6,
                       window_seconds = $7, threshold = $8, min_denominator = $9, severity = $10, enabled = $11,
                       version = version + 1, updated_at = now()
                 WHERE id = $1 RETURNING\s""" + COLUMNS)
                .execute(Tuple.from(Arrays.asList(r.id(), r.name(), r.description(), r.kind().name(), r.counter(),
                        r.denominator(), r.windowSeconds(), r.threshold(), r.minDenominator(), r.severity().name(),
                        r.enabled())))
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(map(rs.iterator().next())));
    }

    public Uni<Boolean> deleteCustom(String id) {
        return pool.preparedQuery("DELETE FROM alert_rules WHERE id = $1 AND NOT builtin").execute(Tuple.of(id))
                .map(rs -> rs.rowCount() > 0);
    }

    private static AlertRule map(Row r) {
        return new AlertRule(r.getString("id"), r.getString("name"), r.getString("description"),
                RuleKind.valueOf(r.getString("kind")), r.getString("counter"), r.getString("denominator"),
                r.getInteger("window_seconds"), r.getDouble("threshold"), r.getLong("min_denominator"),
                Severity.valueOf(r.getString("severity")), r.getBoolean("enabled"), r.getBoolean("builtin"),
                r.getInteger("version"));
    }
}

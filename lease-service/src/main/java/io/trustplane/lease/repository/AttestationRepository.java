package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.lease.service.AttestationResult;
import io.trustplane.lease.service.DriftSeverity;
import io.trustplane.lease.service.Phase;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SQL for prompt attestations. The first attestation of a (task, phase) claims the baseline through the partial
 * unique index on active baselines, so two concurrent first attestations cannot both become baseline.
 */
@ApplicationScoped
public class AttestationRepository {

    private final Pool pool;

    public AttestationRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<AttestationResult> attest(SqlClient conn, String taskId, Phase phase, String agentId, String specHash) {
        return conn.preparedQuery("INSERT INTO attestation_baselines (task_id, phase, version, spec_hash, active, created_at) "
                        + "SELECT $1, $2, COALESCE((SELECT max(version) FROM attestation_baselines WHERE task_id = $1 "
                        + "AND phase = $2), 0) + 1, $3, true, clock_timestamp() "
                        + "ON CONFLICT (task_id, phase) WHERE active DO NOTHING RETURNING version, spec_hash")
                .execute(Tuple.of(taskId, phase.name(), specHash))
                .chain(rows -> rows.size() > 0
                        ? Uni.createFrom().item(new Object[] {true, rows.iterator().next()})
                        : conn.preparedQuery("SELECT version, spec_hash FROM attestation_baselines WHERE task_id = $1 "
                                        + "AND phase = $2 AND active")
                                .execute(Tuple.of(taskId, phase.name()))
                                .map(r -> new Object[] {false, r.iterator().next()}))
                .chain(pair -> {
                    boolean baseline = (Boolean) pair[0];
                    Row b = (Row) pair[1];
                    int version = b.getInteger("version");
                    String baselineHash = b.getString("spec_hash");
                    boolean drift = !baseline && !baselineHash.equals(specHash);
                    DriftSeverity severity = drift ? phase.driftSeverity() : null;
                    String id = UuidV7.next().toString();
                    return conn.preparedQuery("INSERT INTO attestations (attestation_id, task_id, phase, agent_id, "
                                    + "spec_hash, baseline_version, baseline, drift, severity, created_at) VALUES "
                                    + "($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp())")
                            .execute(Tuple.from(new Object[] {java.util.UUID.fromString(id), taskId, phase.name(), agentId,
                                    specHash, version, baseline, drift, severity == null ? null : severity.name()}))
                            .map(x -> new AttestationResult(id, taskId, phase, specHash, baseline, version, baselineHash,
                                    drift, severity));
                });
    }

    /** Deactivates the active baseline; returns its version, or null when there was none. */
    public Uni<Integer> reset(String taskId, Phase phase, String by, String reason) {
        return pool.preparedQuery("UPDATE attestation_baselines SET active = false, reset_at = clock_timestamp(), "
                        + "reset_by = $3, reset_reason = $4 WHERE task_id = $1 AND phase = $2 AND active RETURNING version")
                .execute(Tuple.of(taskId, phase.name(), by, reason))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("version"));
    }

    /** Totals across all attestations: count, baselines, drifts by severity and by phase. */
    public Uni<Map<String, Object>> stats() {
        return pool.query("SELECT phase, count(*) AS total, count(*) FILTER (WHERE baseline) AS baselines, "
                        + "count(*) FILTER (WHERE drift) AS drifts, count(*) FILTER (WHERE severity = 'LOW') AS low, "
                        + "count(*) FILTER (WHERE severity = 'MEDIUM') AS medium, "
                        + "count(*) FILTER (WHERE severity = 'HIGH') AS high FROM attestations GROUP BY phase")
                .execute()
                .map(rows -> {
                    long total = 0;
                    long baselines = 0;
                    long drifts = 0;
                    Map<String, Long> bySeverity = new LinkedHashMap<>();
                    for (DriftSeverity s : DriftSeverity.values()) {
                        bySeverity.put(s.label(), 0L);
                    }
                    Map<String, Object> byPhase = new LinkedHashMap<>();
                    for (Row r : rows) {
                        total += r.getLong("total");
                        baselines += r.getLong("baselines");
                        drifts += r.getLong("drifts");
                        bySeverity.merge("low", r.getLong("low"), Long::sum);
                        bySeverity.merge("medium", r.getLong("medium"), Long::sum);
                        bySeverity.merge("high", r.getLong("high"), Long::sum);
                        byPhase.put(r.getString("phase"), Map.of("total", r.getLong("total"),
                                "drifts", r.getLong("drifts")));
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("total", total);
                    out.put("baselines", baselines);
                    out.put("drifts", drifts);
                    out.put("driftRate", total == 0 ? 0.0 : (double) drifts / total);
                    out.put("bySeverity", bySeverity);
                    out.put("byPhase", byPhase);
                    return out;
                });
    }
}

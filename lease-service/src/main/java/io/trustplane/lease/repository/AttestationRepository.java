package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.DriftSeverity;
import io.trustplane.lease.domain.Phase;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

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

    /** The active baseline of a (task, phase) at the time of an attestation, and whether this one claimed it. */
    public record Baseline(boolean claimed, int version, String specHash) {
    }

    /**
     * Whether the agent holds the live lease of the (task, phase). The row is locked (share) so the lease cannot be
     * released or handed off between this check and the attestation that relies on it.
     */
    public Uni<Boolean> holdsLiveLease(SqlClient conn, String taskId, Phase phase, String agentId) {
        return conn.preparedQuery("SELECT 1 FROM leases WHERE task_id = $1 AND phase = $2 AND holder = $3 "
                        + "AND status = 'ACTIVE' AND expires_at > clock_timestamp() FOR SHARE")
                .execute(Tuple.of(taskId, phase.name(), agentId))
                .map(rows -> rows.size() > 0);
    }

    /** Claims the baseline (when none is active), judges drift against it and records the attestation. */
    public Uni<AttestationResult> attest(SqlClient conn, String taskId, Phase phase, String agentId, String specHash) {
        return baseline(conn, taskId, phase, specHash)
                .chain(b -> record(conn, agentId, judge(taskId, phase, specHash, b)));
    }

    /**
     * Claims the baseline when none is active, then reads the active one. Both statements are sent at once (the
     * client pipelines them on the connection); PostgreSQL runs the read after the claim with a fresh snapshot, so
     * it sees this claim or the one a concurrent first attestation committed while the claim waited.
     */
    public Uni<Baseline> baseline(SqlClient conn, String taskId, Phase phase, String specHash) {
        Uni<Boolean> claimed = conn.preparedQuery("INSERT INTO attestation_baselines (task_id, phase, version, "
                        + "spec_hash, active, created_at) SELECT $1, $2, COALESCE((SELECT max(version) FROM "
                        + "attestation_baselines WHERE task_id = $1 AND phase = $2), 0) + 1, $3, true, "
                        + "clock_timestamp() "
                        + "ON CONFLICT (task_id, phase) WHERE active DO NOTHING")
                .execute(Tuple.of(taskId, phase.name(), specHash))
                .map(rows -> rows.rowCount() > 0);
        Uni<Row> active = conn.preparedQuery("SELECT version, spec_hash FROM attestation_baselines WHERE task_id = $1 "
                        + "AND phase = $2 AND active")
                .execute(Tuple.of(taskId, phase.name()))
                .map(rows -> rows.iterator().next());
        return Uni.combine().all().unis(claimed, active)
                .with((c, b) -> new Baseline(c, b.getInteger("version"), b.getString("spec_hash")));
    }

    /** The attestation's outcome against its baseline (pure: nothing is stored). */
    public static AttestationResult judge(String taskId, Phase phase, String specHash, Baseline b) {
        boolean drift = !b.claimed() && !b.specHash().equals(specHash);
        DriftSeverity severity = drift ? phase.driftSeverity() : null;
        return new AttestationResult(UuidV7.next().toString(), taskId, phase, specHash, b.claimed(), b.version(),
                b.specHash(), drift, severity);
    }

    /** Stores a judged attestation; answers it once stored. */
    public Uni<AttestationResult> record(SqlClient conn, String agentId, AttestationResult a) {
        return conn.preparedQuery("INSERT INTO attestations (attestation_id, task_id, phase, agent_id, spec_hash, "
                        + "baseline_version, baseline, drift, severity, created_at) VALUES "
                        + "($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp())")
                .execute(Tuple.from(new Object[] {UUID.fromString(a.attestationId()), a.taskId(), a.phase().name(),
                        agentId, a.specHash(), a.baselineVersion(), a.baseline(), a.drift(),
                        a.severity() == null ? null : a.severity().name()}))
                .replaceWith(a);
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

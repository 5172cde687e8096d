package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.AttestationBaseline;
import io.trustplane.lease.domain.AttestationStats;
import io.trustplane.lease.domain.Phase;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for prompt attestations (judged by {@link AttestationResult#judge}). The first attestation of a (task, phase) claims the baseline through the partial
 * unique index on active baselines, so two concurrent first attestations cannot both become baseline.
 */
@ApplicationScoped
public class AttestationRepository {

    private final Pool pool;

    public AttestationRepository(Pool pool) {
        this.pool = pool;
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

    /**
     * Claims the baseline when none is active, then reads the active one. Both statements are sent at once (the
     * client pipelines them on the connection); PostgreSQL runs the read after the claim with a fresh snapshot, so
     * it sees this claim or the one a concurrent first attestation committed while the claim waited.
     */
    public Uni<AttestationBaseline> baseline(SqlClient conn, String taskId, Phase phase, String specHash) {
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
                .with((c, b) -> new AttestationBaseline(c, b.getInteger("version"), b.getString("spec_hash")));
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

    /** Attestations, baselines and drifts (in total and per severity) of each phase that has any. */
    public Uni<List<AttestationStats.PhaseTally>> tallies() {
        return pool.query("SELECT phase, count(*) AS total, count(*) FILTER (WHERE baseline) AS baselines, "
                        + "count(*) FILTER (WHERE drift) AS drifts, count(*) FILTER (WHERE severity = 'LOW') AS low, "
                        + "count(*) FILTER (WHERE severity = 'MEDIUM') AS medium, "
                        + "count(*) FILTER (WHERE severity = 'HIGH') AS high FROM attestations GROUP BY phase")
                .execute()
                .map(rows -> {
                    List<AttestationStats.PhaseTally> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new AttestationStats.PhaseTally(r.getString("phase"), r.getLong("total"),
                                r.getLong("baselines"), r.getLong("drifts"), r.getLong("low"), r.getLong("medium"),
                                r.getLong("high")));
                    }
                    return out;
                });
    }
}

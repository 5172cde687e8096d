package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.lease.domain.AcquireOutcome;
import io.trustplane.lease.domain.AttestationBaseline;
import io.trustplane.lease.domain.HandOff;
import io.trustplane.lease.domain.Lease;
import io.trustplane.lease.domain.LedgerChain;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.Task;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Collection;

/** SQL for a phase transition's first step: one call of {@code tp_transition} (the V70 migration). */
@ApplicationScoped
public class TransitionRepository {

    /**
     * Locks the task and its current lease and, when {@code holder} holds that lease live with {@code fencingToken}
     * and the task is in one of {@code departures}, hands the lease off to {@code to} (ended as HANDED_OFF with
     * {@code reason}, the next one granted by {@code tp_acquire_lease}), moves the task, claims or reads the
     * attestation baseline of {@code specHash} (null: none) and reads the ledger's end under its lock. One statement,
     * inside the caller's transaction, which must roll back if the caller refuses the move after all.
     */
    public Uni<HandOff> handOff(SqlClient conn, String taskId, Phase to, String holder, long fencingToken,
            Collection<Phase> departures, Duration ttl, String reason, String specHash) {
        return conn.preparedQuery("SELECT * FROM tp_transition($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] {taskId, to.name(), holder, fencingToken,
                        departures.stream().map(Phase::name).toArray(String[]::new), UuidV7.next(),
                        ttl.toMillis() / 1000.0, reason, specHash}))
                .map(rows -> {
                    Task task = null;
                    Lease current = null;
                    boolean contained = false;
                    Lease held = null;
                    Lease expired = null;
                    Lease granted = null;
                    Task moved = null;
                    AttestationBaseline baseline = null;
                    LedgerChain.Tail tail = null;
                    for (Row r : rows) {
                        switch (r.getString("kind")) {
                            case "task" -> task = TaskRepository.map(r);
                            case "current" -> current = LeaseRepository.map(r);
                            case "contained" -> contained = true;
                            case "held" -> held = LeaseRepository.map(r);
                            case "expired" -> expired = LeaseRepository.map(r);
                            case "granted" -> granted = LeaseRepository.map(r);
                            case "moved" -> moved = TaskRepository.map(r);
                            case "baseline" -> baseline = new AttestationBaseline(r.getBoolean("claimed"),
                                    r.getInteger("baseline_version"), r.getString("spec_hash"));
                            case "tail" -> tail = new LedgerChain.Tail(taskId, r.getString("ledger_now"),
                                    r.getLong("ledger_seq"), r.getString("ledger_hash"));
                            default -> throw new IllegalStateException("tp_transition returned " + r.getString("kind"));
                        }
                    }
                    AcquireOutcome outcome = granted == null && held == null ? null
                            : new AcquireOutcome(granted, held, expired);
                    return new HandOff(task, current, contained, outcome, moved, baseline, tail);
                });
    }
}

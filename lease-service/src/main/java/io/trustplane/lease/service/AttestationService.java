package io.trustplane.lease.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.repository.AttestationRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.trustplane.lease.domain.AttestationStats;
import io.trustplane.lease.domain.BaselineReset;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.PromptSpec;

/** Prompt attestation (seed 001): baseline per (task, phase), drift with a phase-dependent severity. */
@ApplicationScoped
public class AttestationService {

    private final Pool pool;
    private final AttestationRepository repository;
    private final WorkflowMetrics metrics;

    public AttestationService(Pool pool, AttestationRepository repository, WorkflowMetrics metrics) {
        this.pool = pool;
        this.repository = repository;
        this.metrics = metrics;
    }

    /**
     * Records an attestation. Only the holder of the live lease of the attested (task, phase) may attest, or a
     * privileged caller (operator, admin, service): the first attestation becomes the baseline every later one is
     * judged against, so anyone else could poison it and make the holder's own attestations read as drift.
     */
    public Uni<AttestationResult> attest(Actor actor, PromptSpec spec) {
        return pool.withTransaction(conn -> {
            Uni<Boolean> allowed = actor.privileged() ? Uni.createFrom().item(true)
                    : repository.holdsLiveLease(conn, spec.taskId(), spec.phase(), actor.id());
            return allowed.chain(ok -> {
                if (!ok) {
                    throw new ProblemException(403, "not_lease_holder", "only the holder of the live lease of "
                            + spec.taskId() + "/" + spec.phase() + " (or an operator) may attest it",
                            List.of(new FieldViolation("phase", "the caller holds no live lease of this task and phase")),
                            Map.of());
                }
                String specHash = spec.specHash();
                return repository.baseline(conn, spec.taskId(), spec.phase(), specHash).chain(b -> repository.record(
                        conn, actor.id(), AttestationResult.judge(spec.taskId(), spec.phase(), specHash, b)));
            });
        }).invoke(r -> reported(actor, r));
    }

    /** Counts and announces a drift once its attestation is committed. */
    public void reported(Actor actor, AttestationResult r) {
        if (r != null && r.drift()) {
            metrics.driftDetected(actor.id(), r);
        }
    }

    /** Retires the active baseline: the next attestation becomes the baseline of the next version. */
    public Uni<BaselineReset> reset(Actor actor, String taskId, Phase phase, String reason) {
        return repository.reset(taskId, phase, actor.id(), reason).map(version -> {
            if (version == null) {
                throw ProblemException.notFound("baseline", taskId + "/" + phase);
            }
            return BaselineReset.retired(taskId, phase, version);
        });
    }

    public Uni<AttestationStats> stats() {
        return repository.tallies().map(AttestationStats::of);
    }
}

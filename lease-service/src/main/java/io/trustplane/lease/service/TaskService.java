package io.trustplane.lease.service;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.config.LeaseConfig;
import io.trustplane.lease.repository.AttestationRepository;
import io.trustplane.lease.domain.AttestationBaseline;
import io.trustplane.lease.domain.LedgerChain;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.trustplane.lease.repository.LeaseRepository;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.repository.TaskRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.trustplane.lease.domain.AcquireOutcome;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.Evidence;
import io.trustplane.lease.domain.EvidenceGate;
import io.trustplane.lease.domain.Lease;
import io.trustplane.lease.domain.LedgerEntry;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.PromptSpec;
import io.trustplane.lease.domain.Task;
import io.trustplane.lease.domain.TaskListing;
import io.trustplane.lease.domain.TaskQuery;
import io.trustplane.lease.domain.TransitionKind;
import io.trustplane.lease.domain.TransitionResult;

/**
 * The work process: tasks start in STRATEGIZE and move one phase forward at a time (with evidence) or back.
 * A transition is one PostgreSQL transaction: the caller's lease and fencing token are checked under row locks,
 * the lease is handed to the new phase with a new token, the task moves and the ledger entry is appended, or
 * nothing changes at all.
 */
@ApplicationScoped
public class TaskService {

    private static final Optional<AttestationBaseline> NO_BASELINE = Optional.empty();

    private final Pool pool;
    private final TaskRepository tasks;
    private final LeaseRepository leases;
    private final LedgerRepository ledger;
    private final AttestationRepository attestations;
    private final LeaseService leaseService;
    private final AttestationService attestationService;
    private final EvidenceGate gate;
    private final WorkflowMetrics metrics;
    private final Outbox outbox;
    private final LeaseConfig config;
    private final IdempotentTransactions transactions;

    public TaskService(Pool pool, TaskRepository tasks, LeaseRepository leases, LedgerRepository ledger,
            AttestationRepository attestations, LeaseService leaseService, AttestationService attestationService,
            EvidenceGate gate, WorkflowMetrics metrics, Outbox outbox, LeaseConfig config,
            IdempotentTransactions transactions) {
        this.pool = pool;
        this.tasks = tasks;
        this.leases = leases;
        this.ledger = ledger;
        this.attestations = attestations;
        this.leaseService = leaseService;
        this.attestationService = attestationService;
        this.gate = gate;
        this.metrics = metrics;
        this.outbox = outbox;
        this.config = config;
        this.transactions = transactions;
    }

    /** Creates a task in STRATEGIZE with its genesis ledger entry; starting anywhere else skips STRATEGIZE. */
    public Uni<Task> create(Actor actor, String taskId, String title, String description, Phase startPhase) {
        if (startPhase != null && startPhase != Phase.STRATEGIZE) {
            metrics.skipAttempted(actor.id(), taskId, "NONE", startPhase);
            throw new ProblemException(409, "strategize_skipped", "every task starts in STRATEGIZE",
                    List.of(new FieldViolation("startPhase", "must be STRATEGIZE")), Map.of());
        }
        return transactions.withTransaction(pool, conn -> tasks.insert(conn, taskId, title, description, actor.id()).chain(task -> {
            if (task == null) {
                throw new ProblemException(409, "task_exists", "task '" + taskId + "' already exists",
                        List.of(new FieldViolation("taskId", "already exists")), Map.of());
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("title", title);
            data.put("phase", Phase.STRATEGIZE.name());
            return ledger.tail(conn, taskId).chain(tail -> {
                List<LedgerChain.Prepared> entries = LedgerChain.prepare(tail, LedgerChain.GENESIS, actor.id(), data);
                List<Outbox.Pending> events = new ArrayList<>(LedgerService.anchors(entries));
                events.add(Outbox.event(actor.id(), new DomainEvent.TaskCreated(taskId)));
                return Uni.combine().all().unis(ledger.write(conn, entries), outbox.write(conn, events))
                        .with((entry, written) -> task);
            });
        })).invoke(task -> transactions.afterCommit(outbox::committed));
    }

    /**
     * One page of tasks in creation order. An agent sees the tasks it created or holds the current lease of; naming
     * another agent is a 403.
     */
    public Uni<Keyset.Page<TaskListing>> list(Actor actor, String agent, Phase phase, TaskListing.Status status,
            Instant updatedSince, String cursor, String limit) {
        if (!actor.privileged() && agent != null && !agent.equals(actor.id())) {
            throw new ProblemException(403, "forbidden", "an agent lists only its own tasks",
                    List.of(new FieldViolation("agent", "must be the caller")), Map.of());
        }
        int size = Keyset.limit(limit);
        TaskQuery q = new TaskQuery(actor.privileged() ? agent : actor.id(), phase, status, updatedSince,
                Keyset.decode(cursor), size + 1);
        return tasks.list(q).map(rows -> Keyset.Page.of(rows, size,
                t -> new Keyset(t.task().createdAt(), t.task().taskId())));
    }

    public Uni<Task> get(String taskId) {
        return tasks.find(taskId).onItem().ifNull().failWith(() -> ProblemException.notFound("task", taskId));
    }

    /**
     * The transition itself; see the class comment for what happens in its one transaction. Statements that do not
     * need each other's answers go out together and the client pipelines them on the connection, so the whole
     * transaction costs four round trips to PostgreSQL besides BEGIN and COMMIT, not ten or eleven: lock the task and
     * its current lease; (the checks, in Java) end that lease, grant the next, move the task, claim or read the
     * attestation baseline, lock and read the ledger's end; record the attestation and append the ledger entry.
     * PostgreSQL runs them one after another in the order sent, as if each had waited for the one before.
     */
    public Uni<TransitionResult> transition(Actor actor, String taskId, Phase to, List<Evidence> evidence,
            PromptSpec attestation, long fencingToken) {
        List<Evidence> items = evidence == null ? List.of() : evidence;
        return transactions.withTransaction(pool, conn -> Uni.combine().all()
                .unis(tasks.lock(conn, taskId), leases.lockCurrent(conn, taskId)).asTuple()
                .chain(locked -> {
                    Task task = locked.getItem1();
                    if (task == null) {
                        throw ProblemException.notFound("task", taskId);
                    }
                    Lease lease = locked.getItem2();
                    checkLease(actor, task, to, lease, fencingToken);
                    TransitionKind kind = TransitionKind.of(task.phase(), to);
                    checkMove(actor, task, to, kind, items);
                    Move move = new Move(actor, task, to, kind, lease, items, attestation, fencingToken);
                    return Uni.combine().all().unis(
                                    leases.end(conn, lease.leaseId(), "HANDED_OFF", "transition to " + to),
                                    LeaseService.refuseContained(leases.acquire(conn, taskId, to, actor.id(),
                                            config.defaultTtl())),
                                    tasks.movePhase(conn, taskId, to),
                                    attestation == null ? Uni.createFrom().item(NO_BASELINE)
                                            : attestations.baseline(conn, taskId, to, attestation.specHash())
                                                    .map(Optional::of),
                                    ledger.tail(conn, taskId))
                            .with((ended, outcome, moved, baseline, tail) -> new Step(outcome, moved, baseline, tail))
                            .chain(step -> commitMove(conn, move, step));
                })).invoke(r -> transactions.afterCommit(() -> committed(actor, r)));
    }

    /** What was asked and checked under the locks. */
    private record Move(Actor actor, Task task, Phase to, TransitionKind kind, Lease lease, List<Evidence> evidence,
            PromptSpec attestation, long fencingToken) {
    }

    /** The answers of the move's second round trip (the lease ended is not needed again). */
    private record Step(AcquireOutcome outcome, Task moved, Optional<AttestationBaseline> baseline,
            LedgerChain.Tail tail) {
    }

    /** The grant's verdict, the attestation's judgement, and the ledger entry, events and attestation written. */
    private Uni<TransitionResult> commitMove(SqlClient conn, Move m, Step step) {
        String taskId = m.task().taskId();
        Phase from = m.task().phase();
        AcquireOutcome outcome = step.outcome();
        if (!outcome.isGranted()) {
            metrics.leaseContention(m.actor().id(), taskId, m.to(), outcome.holder().holder());
            metrics.validationFailed(m.actor().id(), taskId, "lease_contention", from.name(), m.to());
            throw new ProblemException(409, "phase_lease_contention", "the lease of " + m.to()
                    + " is held by '" + outcome.holder().holder() + "'", List.of(
                    new FieldViolation("to", "lease is held by another agent")), Map.of())
                    .with("holder", outcome.holder().holder())
                    .with("expiresInMs", outcome.holder().expiresInMs());
        }
        Lease granted = outcome.granted();
        AttestationResult att = step.baseline().map(b -> AttestationResult.judge(taskId, m.to(),
                m.attestation().specHash(), b)).orElse(null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from.name());
        data.put("to", m.to().name());
        data.put("kind", m.kind().name());
        data.put("fencingToken", m.fencingToken());
        data.put("evidence", m.evidence().stream().map(e -> Map.of("kind", e.kind(), "uri", e.uri(),
                "sha256", e.sha256())).toList());
        data.put("newFencingToken", granted.fencingToken());
        data.put("leaseId", granted.leaseId());
        if (att != null) {
            data.put("attestation", attestationData(att));
        }
        List<LedgerChain.Prepared> entries = LedgerChain.prepare(step.tail(), "TRANSITION", m.actor().id(), data);
        LedgerEntry entry = entries.get(entries.size() - 1).entry();
        // the ledger entry and every event of the move go out in the same pipelined step
        // (one INSERT into the outbox), and commit or vanish with the move
        List<Outbox.Pending> events = transitionEvents(m.actor(), taskId, from, m.to(), m.kind(), m.lease(),
                granted, outcome.expired(), entries);
        Uni<LedgerEntry> appended = Uni.combine().all().unis(ledger.write(conn, entries),
                outbox.write(conn, events)).with((written, sent) -> entry);
        if (att != null) {
            appended = Uni.combine().all().unis(attestations.record(conn, m.actor().id(), att),
                    appended).with((recorded, e) -> e);
        }
        return appended.map(e -> new TransitionResult(step.moved(), from, m.kind(), granted, m.lease(), e, att,
                outcome.expired()));
    }

    private void checkLease(Actor actor, Task task, Phase to, Lease lease, long fencingToken) {
        String from = task.phase().name();
        metrics.validationAttempted(); // the denominator of the validation-failure rate
        if (lease == null || !lease.live()) {
            metrics.validationFailed(actor.id(), task.taskId(), "lease_required", from, to);
            throw new ProblemException(409, "lease_required", "the caller must hold the live lease of "
                    + task.taskId() + "/" + from, List.of(new FieldViolation("fencingToken",
                    "no live lease of the current phase")), Map.of());
        }
        if (!lease.holder().equals(actor.id())) {
            metrics.validationFailed(actor.id(), task.taskId(), "not_lease_holder", from, to);
            throw new ProblemException(403, "not_lease_holder", "the lease of " + task.taskId() + "/" + from
                    + " is held by another agent", List.of(new FieldViolation("fencingToken",
                    "belongs to another agent's lease")), Map.of()).with("holder", lease.holder());
        }
        if (lease.fencingToken() != fencingToken) {
            metrics.validationFailed(actor.id(), task.taskId(), "stale_fencing_token", from, to);
            throw new ProblemException(409, "stale_fencing_token", "fencing token " + fencingToken
                    + " is not the current token of " + task.taskId() + "/" + from,
                    List.of(new FieldViolation("fencingToken", "is not current")), Map.of());
        }
    }

    private void checkMove(Actor actor, Task task, Phase to, TransitionKind kind, List<Evidence> evidence) {
        Phase from = task.phase();
        switch (kind) {
            case SAME -> {
                metrics.validationFailed(actor.id(), task.taskId(), "same_phase", from.name(), to);
                throw new ProblemException(409, "same_phase", "task is already in " + to,
                        List.of(new FieldViolation("to", "is the current phase")), Map.of());
            }
            case SKIP -> {
                metrics.skipAttempted(actor.id(), task.taskId(), from.name(), to);
                Phase next = Phase.values()[from.ordinal() + 1];
                throw new ProblemException(409, "phase_skip", "from " + from + " the only phase forward is " + next,
                        List.of(new FieldViolation("to", "must be " + next + " or an earlier phase")), Map.of())
                        .with("expected", next.name());
            }
            case FORWARD -> {
                metrics.evidenceGateChecked(from); // the denominator of the evidence-gate failure rate
                List<String> missing = gate.missing(from, evidence.stream().map(Evidence::kind).toList());
                if (!missing.isEmpty()) {
                    metrics.evidenceGateFailed(actor.id(), task.taskId(), from, to, missing);
                    throw ProblemException.unprocessable("evidence_gate_failed", "evidence",
                            "leaving " + from + " needs evidence of kind " + missing).with("missing", missing);
                }
            }
            case BACKTRACK -> {
                // allowed; counted once committed
            }
        }
    }

    /** The events of one committed move, in the order consumers see them. */
    private static List<Outbox.Pending> transitionEvents(Actor actor, String taskId, Phase from, Phase to,
            TransitionKind kind, Lease handedOff, Lease granted, Lease expired,
            List<LedgerChain.Prepared> entries) {
        List<Outbox.Pending> events = new ArrayList<>(entries.size() + 5);
        events.addAll(LedgerService.anchors(entries));
        if (expired != null) {
            events.add(LeaseService.expiredEvent(expired));
        }
        events.add(Outbox.event(actor.id(), new DomainEvent.PhaseTransitioned(taskId, from.name(), to.name(),
                kind.name(), granted.fencingToken(), entries.get(entries.size() - 1).entry().seq())));
        if (kind == TransitionKind.BACKTRACK) {
            events.add(WorkflowMetrics.backtrack(actor.id(), taskId, from, to));
        }
        // the phase's lease ended by hand-off: released as far as anyone counting live leases is concerned
        events.add(LeaseService.released(actor.id(), handedOff, "handed off to " + to.name(), null));
        events.add(LeaseService.acquiredEvent(actor.id(), granted));
        return events;
    }

    private void committed(Actor actor, TransitionResult r) {
        outbox.committed();
        leaseService.expiredNotice(r.expired());
        if (r.kind() == TransitionKind.BACKTRACK) {
            metrics.backtracked(r.from(), r.task().phase());
        }
        attestationService.reported(actor, r.attestation());
    }

    private static Map<String, Object> attestationData(AttestationResult a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("specHash", a.specHash());
        m.put("baseline", a.baseline());
        m.put("drift", a.drift());
        if (a.severity() != null) {
            m.put("severity", a.severity().label());
        }
        return m;
    }
}

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
import io.trustplane.lease.domain.LedgerChain;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.repository.TaskRepository;
import io.trustplane.lease.repository.TransitionRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.trustplane.lease.domain.AcquireOutcome;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.Evidence;
import io.trustplane.lease.domain.EvidenceGate;
import io.trustplane.lease.domain.HandOff;
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
 * nothing changes at all (a refused move rolls back what its first statement did ahead of the checks).
 */
@ApplicationScoped
public class TaskService {

    private final Pool pool;
    private final TaskRepository tasks;
    private final TransitionRepository transitions;
    private final LedgerRepository ledger;
    private final AttestationRepository attestations;
    private final LeaseService leaseService;
    private final AttestationService attestationService;
    private final EvidenceGate gate;
    private final WorkflowMetrics metrics;
    private final Outbox outbox;
    private final LeaseConfig config;
    private final IdempotentTransactions transactions;

    public TaskService(Pool pool, TaskRepository tasks, TransitionRepository transitions, LedgerRepository ledger,
            AttestationRepository attestations, LeaseService leaseService, AttestationService attestationService,
            EvidenceGate gate, WorkflowMetrics metrics, Outbox outbox, LeaseConfig config,
            IdempotentTransactions transactions) {
        this.pool = pool;
        this.tasks = tasks;
        this.transitions = transitions;
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
     * The transition itself; see the class comment for what happens in its one transaction, which costs two round
     * trips to PostgreSQL besides BEGIN and COMMIT. The first is one statement, {@code tp_transition}: it locks the
     * task and its current lease and answers both, and when that lease is the caller's with this token and the
     * task's phase is one the move may leave ({@link #departures}), it also ends the lease, grants the next one
     * (through {@code tp_acquire_lease}, as an acquire does), moves the task, claims or reads the attestation baseline
     * and reads the ledger's end under its lock. The checks then run in Java on the rows answered, in the order and
     * with the answers and counters they always had; a refusal rolls the transaction back, and with it whatever the
     * statement did ahead of the verdict. The second round trip records the attestation and appends the ledger entry
     * and the events, sent together (the client pipelines them; PostgreSQL runs them in the order sent).
     */
    public Uni<TransitionResult> transition(Actor actor, String taskId, Phase to, List<Evidence> evidence,
            PromptSpec attestation, long fencingToken) {
        List<Evidence> items = evidence == null ? List.of() : evidence;
        return transactions.withTransaction(pool, conn -> transitions.handOff(conn, taskId, to, actor.id(),
                        fencingToken, departures(to, items), config.defaultTtl(), "transition to " + to,
                        attestation == null ? null : attestation.specHash())
                .chain(step -> {
                    Task task = step.task();
                    if (task == null) {
                        throw ProblemException.notFound("task", taskId);
                    }
                    Lease lease = step.current();
                    checkLease(actor, task, to, lease, fencingToken);
                    TransitionKind kind = TransitionKind.of(task.phase(), to);
                    checkMove(actor, task, to, kind, items);
                    if (step.contained()) {
                        throw LeaseService.contained();
                    }
                    if (step.outcome() == null) {
                        throw new IllegalStateException("tp_transition did not hand off " + taskId + "/"
                                + task.phase() + " to " + to + " though the checks passed");
                    }
                    Move move = new Move(actor, task, to, kind, lease, items, attestation, fencingToken);
                    return commitMove(conn, move, step);
                })).invoke(r -> transactions.afterCommit(() -> committed(actor, r)));
    }

    /**
     * The phases a move to {@code to} with this evidence may leave: every later one (a backtrack) and the one before
     * when the evidence passes its gate. The same rules {@link #checkMove} applies afterwards with its answers and
     * counters; given to {@code tp_transition} so it does the move's work only when the checks will let it stand.
     */
    private List<Phase> departures(Phase to, List<Evidence> evidence) {
        List<String> kinds = evidence.stream().map(Evidence::kind).toList();
        List<Phase> out = new ArrayList<>(Phase.values().length);
        for (Phase from : Phase.values()) {
            TransitionKind kind = TransitionKind.of(from, to);
            if (kind == TransitionKind.BACKTRACK
                    || kind == TransitionKind.FORWARD && gate.missing(from, kinds).isEmpty()) {
                out.add(from);
            }
        }
        return out;
    }

    /** What was asked and checked under the locks. */
    private record Move(Actor actor, Task task, Phase to, TransitionKind kind, Lease lease, List<Evidence> evidence,
            PromptSpec attestation, long fencingToken) {
    }

    /** The grant's verdict, the attestation's judgement, and the ledger entry, events and attestation written. */
    private Uni<TransitionResult> commitMove(SqlClient conn, Move m, HandOff step) {
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
        AttestationResult att = step.baseline() == null ? null
                : AttestationResult.judge(taskId, m.to(), m.attestation().specHash(), step.baseline());
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

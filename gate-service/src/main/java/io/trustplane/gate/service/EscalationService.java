package io.trustplane.gate.service;

import io.trustplane.gate.domain.EscalationStatus;
import io.trustplane.gate.domain.Quorum;
import io.trustplane.gate.domain.Tier;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.config.GateConfig;
import io.trustplane.gate.repository.EscalationRepository;
import io.trustplane.gate.domain.EscalationRecord;
import io.trustplane.gate.domain.EscalationRules;
import io.trustplane.gate.domain.EscalationTransition;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Escalations opened by ESCALATE decisions: configured validators vote and 2f+1 approvals of n decide (seed 004);
 * an operator may decide at any time; after the timeout validators can no longer vote and the escalation waits
 * for an operator. Every decision is an {@code escalation.decided} event and is anchored.
 */
@ApplicationScoped
public class EscalationService {

    private static final Logger LOG = Logger.getLogger(EscalationService.class);

    private final Pool pool;
    private final EscalationRepository repository;
    private final Quorum quorum;
    private final GateConfig config;
    private final Set<String> validators;
    private final Outbox outbox;
    private final IdempotentTransactions transactions;

    public EscalationService(Pool pool, EscalationRepository repository, Quorum quorum, GateConfig config,
            Outbox outbox, IdempotentTransactions transactions) {
        this.pool = pool;
        this.repository = repository;
        this.transactions = transactions;
        this.quorum = quorum;
        this.config = config;
        this.validators = Set.copyOf(config.escalation().validators());
        this.outbox = outbox;
    }

    /** Opens an escalation; {@code opened} names the event to write with it (role_gate.escalated, anchored). */
    public Uni<String> open(String evaluationId, String agentId, String role, Tier tier, String resourceId,
            String action, String reason, java.util.function.Function<String, DomainEvent> opened) {
        UUID id = UUID.randomUUID();
        // the insert and its event (the outbox) are sent together in one transaction
        return pool.withTransaction(conn -> Uni.combine().all().unis(repository.insert(conn, id,
                                UUID.fromString(evaluationId), agentId, role, tier.name(), resourceId, action, reason, quorum,
                                config.escalation().timeout()),
                        outbox.write(conn, Outbox.event(agentId, opened.apply(id.toString()))))
                .with((inserted, written) -> id))
                .invoke(x -> outbox.committed()).map(UUID::toString);
    }

    public Uni<EscalationRecord> get(UUID id) {
        return repository.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("escalation", id.toString()));
    }

    /**
     * One page of escalations in creation order, filtered by status and agent. The caller resolves who may see
     * what: an agent passes its own id.
     */
    public Uni<Keyset.Page<EscalationRecord>> list(List<EscalationStatus> statuses, String agentId, String cursor,
            String limit) {
        int size = Keyset.limit(limit);
        Keyset after = Keyset.decode(cursor);
        return repository.list(statuses, agentId, after == null ? null : after.createdAt(),
                        after == null ? null : after.uuid(), size + 1)
                .map(rows -> Keyset.Page.of(rows, size, e -> new Keyset(e.createdAt(), e.id().toString())));
    }

    public boolean isValidator(String callerId) {
        return validators.contains(callerId);
    }

    public Quorum quorum() {
        return quorum;
    }

    public Uni<EscalationRecord> vote(UUID id, String validatorId, boolean approve, String reason) {
        if (!isValidator(validatorId)) {
            return Uni.createFrom().failure(ProblemException.forbidden("'" + validatorId
                    + "' is not a configured validator"));
        }
        return transactions.withTransaction(pool, conn -> repository.lock(conn, id)
                .flatMap(e -> {
                    ProblemException closed = EscalationRules.refuseVote(id, e, false);
                    return closed != null ? Uni.createFrom().<Boolean>failure(closed)
                            : repository.deadlinePassed(conn, id)
                            .map(passed -> refuse(EscalationRules.refuseVote(id, e, passed)));
                })
                .flatMap(open -> repository.insertVote(conn, id, validatorId, approve, reason))
                .flatMap(inserted -> {
                    if (!inserted) {
                        return Uni.createFrom().<EscalationTransition>failure(EscalationRules.duplicateVote(validatorId));
                    }
                    return repository.reload(conn, id).flatMap(after -> {
                        EscalationStatus outcome = EscalationRules.outcome(after, quorum);
                        return outcome == null ? Uni.createFrom().item(new EscalationTransition(after, false))
                                : decide(conn, id, outcome, "quorum", null);
                    });
                })
                .call(t -> decided(conn, t))).map(this::announce);
    }

    /** An operator's decision, allowed while OPEN or AWAITING_OPERATOR. */
    public Uni<EscalationRecord> decide(UUID id, boolean approve, String operator, String note) {
        return transactions.withTransaction(pool, conn -> repository.lock(conn, id)
                .flatMap(e -> {
                    refuse(EscalationRules.refuseOperatorDecision(id, e));
                    return decide(conn, id, approve ? EscalationStatus.APPROVED : EscalationStatus.REJECTED, operator,
                            note);
                })
                .call(t -> decided(conn, t))).map(this::announce);
    }

    private Uni<EscalationTransition> decide(SqlConnection conn, UUID id, EscalationStatus status, String by,
            String note) {
        return repository.decide(conn, id, status, EscalationRules.decision(status), by, note)
                .map(e -> new EscalationTransition(e, true));
    }

    private static boolean refuse(ProblemException refusal) {
        if (refusal != null) {
            throw refusal;
        }
        return true;
    }

    /** Degrades timed-out escalations to an operator decision; runs on every replica, each row taken once. */
    @Scheduled(every = "${trustplane.gate.escalation.sweep-interval}",
            delayed = "${trustplane.gate.escalation.sweep-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return pool.withTransaction(conn -> repository.expire(conn, config.escalation().sweepBatch())
                        .call(expired -> expired.isEmpty() ? Uni.createFrom().voidItem() : outbox.write(conn,
                                expired.stream().map(e -> Outbox.event(e.agentId(),
                                        new DomainEvent.EscalationAwaitingOperator(e.id().toString(),
                                                e.evaluationId().toString(), e.role(), e.status().name(),
                                                (int) e.approvals(), (int) e.rejections(), e.decision(),
                                                e.decidedBy()))).toList())))
                .invoke(expired -> {
                    if (!expired.isEmpty()) {
                        outbox.committed();
                    }
                }).replaceWithVoid().onFailure().recoverWithItem(f -> {
            LOG.debugf("escalation sweep failed: %s", f.toString());
            return null;
        });
    }

    /** A decided escalation's event, written in the deciding transaction. */
    private Uni<Void> decided(SqlConnection conn, EscalationTransition t) {
        if (!t.changed()) {
            return Uni.createFrom().voidItem();
        }
        EscalationRecord e = t.escalation();
        return outbox.write(conn, Outbox.event(e.agentId(), new DomainEvent.EscalationDecided(e.id().toString(),
                e.evaluationId().toString(), e.role(), e.status().name(), (int) e.approvals(), (int) e.rejections(),
                e.decision(), e.decidedBy())));
    }

    private EscalationRecord announce(EscalationTransition t) {
        if (t.changed()) {
            transactions.afterCommit(outbox::committed);
        }
        return t.escalation();
    }
}

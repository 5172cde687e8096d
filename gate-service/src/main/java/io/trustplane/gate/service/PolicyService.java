package io.trustplane.gate.service;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.repository.PolicyRepository;
import io.trustplane.gate.domain.PolicyFields;
import io.trustplane.gate.domain.PolicyRecord;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.UUID;

/**
 * Admin CRUD on policies. A change is visible to this replica's evaluations when the call returns and to every
 * other replica once its pub/sub message arrives (or at the latest at the periodic reload). Updates and deletes run
 * in a Hibernate Reactive transaction; a creation runs on the reactive client, in the transaction that holds its
 * Idempotency-Key until the answer is stored ({@link IdempotentTransactions}), which a Hibernate session cannot join.
 */
@ApplicationScoped
public class PolicyService {

    private final Pool pool;
    private final Mutiny.SessionFactory sessions;
    private final PolicyRepository repository;
    private final GateCaches caches;
    private final IdempotentTransactions transactions;

    public PolicyService(Pool pool, Mutiny.SessionFactory sessions, PolicyRepository repository, GateCaches caches,
            IdempotentTransactions transactions) {
        this.pool = pool;
        this.sessions = sessions;
        this.repository = repository;
        this.transactions = transactions;
        this.caches = caches;
    }

    public Uni<List<PolicyRecord>> list() {
        return repository.list();
    }

    public Uni<PolicyRecord> get(String id) {
        return repository.find(id).onItem().ifNull().failWith(() -> ProblemException.notFound("policy", id));
    }

    public Uni<PolicyRecord> create(PolicyFields fields, String actor) {
        String id = UUID.randomUUID().toString();
        return transactions.withTransaction(pool, conn -> repository.insert(conn, id, fields)
                        .flatMap(p -> repository.revision(conn, p, "CREATED", actor)))
                .call(p -> transactions.afterCommitAwaited(caches::policiesChanged));
    }

    public Uni<PolicyRecord> update(String id, PolicyFields fields, Long expectedVersion, String actor) {
        return sessions.withTransaction(session -> repository.update(session, id, fields, expectedVersion)
                        .flatMap(p -> p == null ? Uni.createFrom().<PolicyRecord>nullItem()
                                : repository.revision(session, p, "UPDATED", actor)))
                // changed by someone else between our read and our write: rolled back, answered as a stale version
                .onFailure(PolicyRepository::isStale).recoverWithNull()
                .onItem().ifNull().switchTo(() -> repository.find(id).map(existing -> {
                    if (existing == null) {
                        throw ProblemException.notFound("policy", id);
                    }
                    throw ProblemException.conflict("version_mismatch", "policy '" + id + "' is at version "
                            + existing.version() + ", not " + expectedVersion).with("version", existing.version());
                }))
                .call(caches::policiesChanged);
    }

    public Uni<PolicyRecord> delete(String id, String actor) {
        return sessions.withTransaction(session -> repository.delete(session, id)
                        .flatMap(p -> p == null ? Uni.createFrom().<PolicyRecord>nullItem()
                                : repository.revision(session, p, "DELETED", actor)))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("policy", id))
                .call(caches::policiesChanged);
    }

    public long revision() {
        return caches.policies().current().revision();
    }
}

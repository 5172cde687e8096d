package io.trustplane.gate.service;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.repository.PolicyRepository;
import io.trustplane.gate.repository.PolicyRepository.PolicyFields;
import io.trustplane.gate.repository.PolicyRepository.PolicyRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Admin CRUD on policies. A change is visible to this replica's evaluations when the call returns and to every
 * other replica once its pub/sub message arrives (or at the latest at the periodic reload).
 */
@ApplicationScoped
public class PolicyService {

    private final PolicyRepository repository;
    private final GateCaches caches;
    private final IdempotentTransactions transactions;

    public PolicyService(PolicyRepository repository, GateCaches caches, IdempotentTransactions transactions) {
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
        return repository.create(fields, actor).call(p -> transactions.afterCommitAwaited(caches::policiesChanged));
    }

    public Uni<PolicyRecord> update(String id, PolicyFields fields, Long expectedVersion, String actor) {
        return repository.update(id, fields, expectedVersion, actor)
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
        return repository.delete(id, actor).onItem().ifNull().failWith(() -> ProblemException.notFound("policy", id))
                .call(caches::policiesChanged);
    }

    public long revision() {
        return caches.policies().current().revision();
    }
}

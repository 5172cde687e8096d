package io.trustplane.gate.service;

import io.trustplane.gate.domain.AgentListing;
import io.trustplane.gate.domain.AgentQuery;
import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.RegulatoryFramework;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.domain.TierBands;
import io.trustplane.gate.domain.TruthScore;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.config.GateConfig;
import io.trustplane.gate.repository.InTransaction;
import io.trustplane.gate.repository.AgentRepository;
import io.trustplane.gate.repository.AgentRepository.OutcomeResult;
import io.trustplane.gate.repository.AgentRepository.ScoreChange;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Agent registration, suspension and truth scoring. Every change evicts the agent from every replica's cache
 * before the caller gets its answer here, and through pub/sub elsewhere.
 */
@ApplicationScoped
public class AgentService {

    private final AgentRepository repository;
    private final GateCaches caches;
    private final TruthScore truth;
    private final GateConfig config;
    private final Outbox outbox;
    private final TierBands bands;
    private final IdempotentTransactions transactions;

    public AgentService(AgentRepository repository, GateCaches caches, TruthScore truth, GateConfig config,
            Outbox outbox, TierBands bands, IdempotentTransactions transactions) {
        this.bands = bands;
        this.transactions = transactions;
        this.repository = repository;
        this.caches = caches;
        this.truth = truth;
        this.config = config;
        this.outbox = outbox;
    }

    public Uni<AgentSnapshot> register(String agentId, int score, List<RegulatoryFramework> frameworks,
            Map<String, Object> attributes, String actor) {
        return repository.upsert(agentId, score, frameworks == null ? List.of() : frameworks,
                attributes == null ? Map.of() : attributes, actor, event(a -> new DomainEvent.AgentRegistered(
                        a.trustScore(), a.effectiveScore(), a.tier().name(), a.suspended()))).invoke(this::changed);
    }

    public Uni<AgentSnapshot> get(String agentId) {
        return repository.find(agentId).onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId));
    }

    /**
     * One page of agents in creation order. {@code agentId} restricts the list to one agent (what an agent caller is
     * held to); {@code tier} is a band of the effective score; {@code minScore}/{@code maxScore} bound the trust score.
     */
    public Uni<Keyset.Page<AgentListing>> list(String agentId, Tier tier, Boolean suspended, Integer minScore,
            Integer maxScore, String cursor, String limit) {
        if (minScore != null && maxScore != null && minScore > maxScore) {
            throw ProblemException.badRequest("maxScore", "must not be below minScore");
        }
        int size = Keyset.limit(limit);
        AgentQuery q = new AgentQuery(agentId, tier == null ? null : bands.lowerBound(tier),
                tier == null ? null : bands.upperBound(tier), suspended, minScore, maxScore, Keyset.decode(cursor),
                size + 1);
        return repository.list(q).map(rows -> Keyset.Page.of(rows, size,
                a -> new Keyset(a.createdAt(), a.agent().agentId())));
    }

    public Uni<AgentSnapshot> suspend(String agentId, boolean suspended, String reason) {
        return repository.setSuspended(agentId, suspended, reason, event(a -> suspended
                        ? new DomainEvent.AgentSuspended(a.trustScore(), a.effectiveScore(), a.tier().name(), true)
                        : new DomainEvent.AgentReinstated(a.trustScore(), a.effectiveScore(), a.tier().name(), false)))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .invoke(a -> transactions.afterCommit(() -> changed(a)));
    }

    public Uni<List<ScoreChange>> history(String agentId, int limit) {
        return get(agentId).flatMap(a -> repository.history(agentId, limit));
    }

    public Uni<OutcomeResult> recordOutcome(String agentId, String claim, boolean confirmed, String actor) {
        return repository.recordOutcome(agentId, claim, confirmed, truth, config.truth().window(), actor,
                        event(a -> new DomainEvent.AgentScoreChanged(a.trustScore(), a.effectiveScore(),
                                a.tier().name(), a.suspended())))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .invoke(r -> transactions.afterCommit(() -> changed(r.agent())));
    }

    /** The agent's change event, written to the outbox in the change's own transaction. */
    private InTransaction<AgentSnapshot> event(Function<AgentSnapshot, DomainEvent> event) {
        return (conn, a) -> outbox.write(conn, Outbox.event(a.agentId(), event.apply(a)));
    }

    private void changed(AgentSnapshot a) {
        caches.agentChanged(a.agentId());
        outbox.committed();
    }
}

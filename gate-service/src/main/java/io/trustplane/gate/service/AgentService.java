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
import io.trustplane.gate.domain.OutcomeResult;
import io.trustplane.gate.domain.ScoreChange;
import io.trustplane.gate.repository.AgentRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * Agent registration, suspension and truth scoring. Every change evicts the agent from every replica's cache
 * before the caller gets its answer here, and through pub/sub elsewhere.
 */
@ApplicationScoped
public class AgentService {

    private final Pool pool;
    private final AgentRepository repository;
    private final GateCaches caches;
    private final TruthScore truth;
    private final GateConfig config;
    private final Outbox outbox;
    private final TierBands bands;
    private final IdempotentTransactions transactions;

    public AgentService(Pool pool, AgentRepository repository, GateCaches caches, TruthScore truth, GateConfig config,
            Outbox outbox, TierBands bands, IdempotentTransactions transactions) {
        this.pool = pool;
        this.bands = bands;
        this.transactions = transactions;
        this.repository = repository;
        this.caches = caches;
        this.truth = truth;
        this.config = config;
        this.outbox = outbox;
    }

    /** Creates or replaces an agent under its row lock; a score change (or the first score) goes to its history. */
    public Uni<AgentSnapshot> register(String agentId, int score, List<RegulatoryFramework> frameworks,
            Map<String, Object> attributes, String actor) {
        List<RegulatoryFramework> fw = frameworks == null ? List.of() : frameworks;
        Map<String, Object> attrs = attributes == null ? Map.of() : attributes;
        return pool.withTransaction(conn -> repository.lockScore(conn, agentId).flatMap(old -> {
            Uni<AgentSnapshot> write = old == null ? repository.insert(conn, agentId, score, fw, attrs)
                    : repository.update(conn, agentId, score, fw, attrs);
            return write.flatMap(agent -> old == null || old != score
                    ? repository.recordScore(conn, agent, old, "REGISTRATION", actor)
                    : Uni.createFrom().item(agent));
        }).call(a -> event(conn, a, new DomainEvent.AgentRegistered(a.trustScore(), a.effectiveScore(),
                a.tier().name(), a.suspended())))).invoke(this::changed);
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
        return transactions.withTransaction(pool, conn -> repository.setSuspended(conn, agentId, suspended, reason)
                        .call(a -> a == null ? Uni.createFrom().voidItem() : event(conn, a, suspended
                                ? new DomainEvent.AgentSuspended(a.trustScore(), a.effectiveScore(), a.tier().name(), true)
                                : new DomainEvent.AgentReinstated(a.trustScore(), a.effectiveScore(), a.tier().name(),
                                false))))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .invoke(a -> transactions.afterCommit(() -> changed(a)));
    }

    public Uni<List<ScoreChange>> history(String agentId, int limit) {
        return get(agentId).flatMap(a -> repository.history(agentId, limit));
    }

    /**
     * Stores a verified outcome and moves the trust score by the recency-weighted confirmed share of the agent's
     * latest outcomes ({@link TruthScore}), all under the agent's row lock so concurrent outcomes lose no update.
     */
    public Uni<OutcomeResult> recordOutcome(String agentId, String claim, boolean confirmed, String actor) {
        return transactions.withTransaction(pool, conn -> repository.lockScore(conn, agentId).flatMap(old -> {
                    if (old == null) {
                        return Uni.createFrom().<OutcomeResult>nullItem();
                    }
                    return repository.insertOutcome(conn, agentId, claim, confirmed)
                            .flatMap(x -> repository.latestOutcomes(conn, agentId, config.truth().window()))
                            .flatMap(newestFirst -> {
                                TruthScore.Move move = truth.move(old, newestFirst);
                                return repository.setScore(conn, agentId, move.score())
                                        .flatMap(agent -> move.score() != old
                                                ? repository.recordScore(conn, agent, old, "TRUTH_SCORE", actor)
                                                : Uni.createFrom().item(agent))
                                        .map(a -> new OutcomeResult(a, move.share(), move.score() - old,
                                                newestFirst.size()));
                            });
                }).call(r -> r == null ? Uni.createFrom().voidItem() : event(conn, r.agent(),
                        new DomainEvent.AgentScoreChanged(r.agent().trustScore(), r.agent().effectiveScore(),
                                r.agent().tier().name(), r.agent().suspended()))))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .invoke(r -> transactions.afterCommit(() -> changed(r.agent())));
    }

    /** The agent's change event, written to the outbox in the change's own transaction. */
    private Uni<Void> event(SqlConnection conn, AgentSnapshot a, DomainEvent event) {
        return outbox.write(conn, Outbox.event(a.agentId(), event));
    }

    private void changed(AgentSnapshot a) {
        caches.agentChanged(a.agentId());
        outbox.committed();
    }
}

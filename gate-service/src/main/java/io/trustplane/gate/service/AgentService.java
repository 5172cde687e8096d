package io.trustplane.gate.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.config.GateConfig;
import io.trustplane.gate.repository.AgentRepository;
import io.trustplane.gate.repository.AgentRepository.OutcomeResult;
import io.trustplane.gate.repository.AgentRepository.ScoreChange;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final EventPublisher events;
    private final TierBands bands;

    public AgentService(AgentRepository repository, GateCaches caches, TruthScore truth, GateConfig config,
            EventPublisher events, TierBands bands) {
        this.bands = bands;
        this.repository = repository;
        this.caches = caches;
        this.truth = truth;
        this.config = config;
        this.events = events;
    }

    public Uni<AgentSnapshot> register(String agentId, int score, List<RegulatoryFramework> frameworks,
            Map<String, Object> attributes, String actor) {
        return repository.upsert(agentId, score, frameworks == null ? List.of() : frameworks,
                attributes == null ? Map.of() : attributes, actor).invoke(a -> changed(a, "agent.registered"));
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
        return repository.setSuspended(agentId, suspended, reason)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .invoke(a -> changed(a, suspended ? "agent.suspended" : "agent.reinstated"));
    }

    public Uni<List<ScoreChange>> history(String agentId, int limit) {
        return get(agentId).flatMap(a -> repository.history(agentId, limit));
    }

    public Uni<OutcomeResult> recordOutcome(String agentId, String claim, boolean confirmed, String actor) {
        return repository.recordOutcome(agentId, claim, confirmed, truth, config.truth().window(), actor)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("agent", agentId))
                .invoke(r -> changed(r.agent(), "agent.score_changed"));
    }

    private void changed(AgentSnapshot a, String type) {
        caches.agentChanged(a.agentId());
        Map<String, Object> data = new HashMap<>();
        data.put("trustScore", a.trustScore());
        data.put("effectiveScore", a.effectiveScore());
        data.put("tier", a.tier().name());
        data.put("suspended", a.suspended());
        events.fire(type, a.agentId(), data);
    }
}

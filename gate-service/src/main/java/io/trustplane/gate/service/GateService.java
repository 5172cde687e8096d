package io.trustplane.gate.service;

import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.Evaluation;
import io.trustplane.gate.domain.GateEngine;
import io.trustplane.gate.domain.Layer;
import io.trustplane.gate.domain.PolicySet;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.domain.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.gate.events.BatchedEvents;
import io.trustplane.common.events.UuidV7;
import io.trustplane.gate.config.GateBeans.RoleTable;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Role-gate evaluations: reads the cached agent and policy snapshot (no database round trip when both are
 * cached), decides, counts, emits {@code role_gate.*}, anchors DENY and ESCALATE, and opens an escalation for
 * ESCALATE.
 */
@ApplicationScoped
public class GateService {

    /** Signal name telemetry's gaming detection understands. */
    public static final String BOUNDARY_TESTING = "BOUNDARY_TESTING";

    private final GateCaches caches;
    private final RoleTable roles;
    private final EscalationService escalations;
    private final BatchedEvents events;
    private final Outbox outbox;
    private final Map<Decision, Map<Layer, Counter>> decisions = new EnumMap<>(Decision.class);
    private final Counter boundaryTesting;

    public GateService(GateCaches caches, RoleTable roles, EscalationService escalations, BatchedEvents events,
            Outbox outbox, MeterRegistry registry) {
        this.caches = caches;
        this.roles = roles;
        this.escalations = escalations;
        this.events = events;
        this.outbox = outbox;
        for (Decision d : Decision.values()) {
            Map<Layer, Counter> byLayer = new EnumMap<>(Layer.class);
            for (Layer l : Layer.values()) {
                byLayer.put(l, Counter.builder("trustplane_gate_decisions_total")
                        .description("Role-gate decisions by decision and layer")
                        .tag("decision", d.name()).tag("layer", l.name()).register(registry));
            }
            decisions.put(d, byLayer);
        }
        this.boundaryTesting = registry.counter("trustplane_gate_boundary_testing_total");
    }

    /** The agent from the agent cache, or null if it is not registered. */
    public Uni<AgentSnapshot> agent(String agentId) {
        return caches.agents().get(agentId);
    }

    /** The revision of the policy snapshot evaluations read now. */
    public long policyRevision() {
        return caches.policies().current().revision();
    }

    public Uni<Evaluation> evaluate(String agentId, String role, Tier claimedTier, String resourceId, String action) {
        PolicySet policies = caches.policies().current();
        return caches.agents().get(agentId).flatMap(agent -> {
            Verdict v = GateEngine.evaluate(agent, claimedTier, role, action, resourceId, roles.roles(), policies);
            String evaluationId = UuidV7.next().toString();
            Tier registered = agent == null ? null : agent.tier();
            decisions.get(v.decision()).get(v.layer()).increment();
            String claimed = claimedTier == null ? null : claimedTier.name();
            String tierName = registered == null ? null : registered.name();
            String signal = null;
            if (v.boundaryTesting()) {
                boundaryTesting.increment();
                signal = BOUNDARY_TESTING;
                outbox.writeNow(agentId, new DomainEvent.GamingSignal(BOUNDARY_TESTING, v.reason(), evaluationId,
                        claimed, tierName, null));
            }
            String decision = v.decision().name();
            String layer = v.layer().name();
            long revision = policies.revision();
            switch (v.decision()) {
                case ALLOW -> events.fire(agentId, new DomainEvent.RoleGateAllowed(evaluationId, role, decision, layer,
                        v.reason(), v.ruleId(), revision, claimed, tierName, resourceId, action, signal, null));
                case DENY -> outbox.writeNow(agentId, new DomainEvent.RoleGateDenied(evaluationId, role, decision,
                        layer, v.reason(), v.ruleId(), revision, claimed, tierName, resourceId, action, signal, null));
                case ESCALATE -> {
                    String sig = signal;
                    return escalations.open(evaluationId, agentId, role, registered, resourceId, action, v.reason(),
                                    escalationId -> new DomainEvent.RoleGateEscalated(evaluationId, role, decision,
                                            layer, v.reason(), v.ruleId(), revision, claimed, tierName, resourceId,
                                            action, sig, escalationId))
                            .map(escalationId -> new Evaluation(v.decision(), v.layer(), v.reason(), v.ruleId(),
                                    evaluationId, registered, escalationId, revision));
                }
            }
            return Uni.createFrom().item(new Evaluation(v.decision(), v.layer(), v.reason(), v.ruleId(), evaluationId,
                    registered, null, revision));
        });
    }
}

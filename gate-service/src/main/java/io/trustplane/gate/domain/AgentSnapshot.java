package io.trustplane.gate.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An agent as registered, with its effective score and tier already derived; immutable so caches can share it.
 * {@code containment} is null unless an operator contained the agent.
 */
public record AgentSnapshot(String agentId, int trustScore, int effectiveScore, Tier tier,
        List<RegulatoryFramework> frameworks, Map<String, Object> attributes, boolean suspended,
        String suspendedReason, long version, Instant updatedAt, Containment containment) {

    public boolean contained() {
        return containment != null;
    }
}

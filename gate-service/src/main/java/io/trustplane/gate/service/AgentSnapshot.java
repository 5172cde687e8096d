package io.trustplane.gate.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An agent as registered, with its effective score and tier already derived; immutable so caches can share it. */
public record AgentSnapshot(String agentId, int trustScore, int effectiveScore, Tier tier,
        List<RegulatoryFramework> frameworks, Map<String, Object> attributes, boolean suspended,
        String suspendedReason, long version, Instant updatedAt) {
}

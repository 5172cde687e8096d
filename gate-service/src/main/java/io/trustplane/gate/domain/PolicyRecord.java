package io.trustplane.gate.domain;

import java.time.Instant;
import java.util.List;

/** A stored policy as admins see it; {@link #rule()} is the form evaluations match against. */
public record PolicyRecord(String id, String name, int priority, String role, List<Tier> tiers,
        List<String> actions, String resourcePattern, Decision effect, boolean enabled, long version,
        Instant createdAt, Instant updatedAt) {

    public PolicyRule rule() {
        return PolicyRule.of(id, name, priority, role, tiers, actions, resourcePattern, effect, enabled, version);
    }
}

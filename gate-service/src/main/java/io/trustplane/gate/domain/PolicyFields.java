package io.trustplane.gate.domain;

import java.util.List;

/** The fields of a policy an admin sets. */
public record PolicyFields(String name, int priority, String role, List<Tier> tiers, List<String> actions,
        String resourcePattern, Decision effect, boolean enabled) {
}

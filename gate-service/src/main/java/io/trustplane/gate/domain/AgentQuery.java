package io.trustplane.gate.domain;

import io.trustplane.common.page.Keyset;

/**
 * Filters of the agent list, each optional: one agent (what an agent caller is held to), the effective-score band
 * of a tier, suspended or not, a trust-score range; then the keyset position and the rows to fetch.
 */
public record AgentQuery(String agentId, Integer minEffective, Integer maxEffective, Boolean suspended,
        Integer minScore, Integer maxScore, Keyset after, int fetch) {
}

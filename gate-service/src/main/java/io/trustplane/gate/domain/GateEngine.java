package io.trustplane.gate.domain;

import java.util.Map;

/**
 * The three-layer role-gate decision as a pure function of the registered agent, the role table and the
 * current policy snapshot: KERNEL (hard stops), POLICY (first matching admin rule), BASIS (tier distance).
 * A contained agent is denied everything. The registered tier decides; a claimed tier above it is a DENY flagged as boundary testing.
 */
public final class GateEngine {

    /** The rule every decision for a contained agent names. */
    public static final String CONTAINED = "kernel:contained";

    private GateEngine() {
    }

    public static Verdict evaluate(AgentSnapshot agent, Tier claimedTier, String role, String action,
            String resourceId, Map<String, RoleRequirement> roles, PolicySet policies) {
        if (agent == null) {
            return Verdict.of(Decision.DENY, Layer.KERNEL, "agent is not registered", "kernel:unknown-agent");
        }
        if (agent.contained()) {
            return Verdict.of(Decision.DENY, Layer.KERNEL, "agent is contained: " + agent.containment().reason(),
                    CONTAINED);
        }
        if (agent.suspended()) {
            return Verdict.of(Decision.DENY, Layer.KERNEL, "agent is suspended", "kernel:suspended");
        }
        Tier tier = agent.tier();
        if (claimedTier != null && claimedTier.ordinal() > tier.ordinal()) {
            return new Verdict(Decision.DENY, Layer.KERNEL, "claimed tier " + claimedTier
                    + " is above the registered tier " + tier, "kernel:claimed-tier", true);
        }
        RoleRequirement requirement = roles.get(role);
        if (requirement == null) {
            return Verdict.of(Decision.DENY, Layer.KERNEL, "role '" + role + "' is not defined", "kernel:unknown-role");
        }
        int distance = tier.distanceTo(requirement.minTier());
        if (requirement.kernelEnforced() && distance > 0) {
            return Verdict.of(Decision.DENY, Layer.KERNEL, "role " + role + " requires at least "
                    + requirement.minTier() + "; registered tier is " + tier, "kernel:min-tier");
        }
        for (PolicyRule rule : policies.rules()) {
            if (rule.matches(role, tier, action, resourceId)) {
                return Verdict.of(rule.effect(), Layer.POLICY, "policy '" + rule.name() + "' (priority "
                        + rule.priority() + ", v" + rule.version() + ")", rule.id());
            }
        }
        if (distance <= 0) {
            return Verdict.of(Decision.ALLOW, Layer.BASIS, "tier " + tier + " meets " + role + "'s minimum "
                    + requirement.minTier(), "basis:meets-tier");
        }
        if (distance == 1) {
            return Verdict.of(Decision.ESCALATE, Layer.BASIS, "tier " + tier + " is one tier short of "
                    + requirement.minTier() + " for " + role, "basis:one-tier-short");
        }
        return Verdict.of(Decision.DENY, Layer.BASIS, "tier " + tier + " is " + distance + " tiers short of "
                + requirement.minTier() + " for " + role, "basis:tiers-short");
    }
}

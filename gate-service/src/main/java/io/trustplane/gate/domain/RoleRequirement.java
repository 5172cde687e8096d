package io.trustplane.gate.domain;

/**
 * What a role demands: its minimum tier, and whether the kernel enforces that minimum strictly (no policy or
 * escalation can let a lower tier in) or leaves the shortfall to the POLICY and BASIS layers.
 */
public record RoleRequirement(Tier minTier, boolean kernelEnforced) {
}

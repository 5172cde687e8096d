package io.trustplane.gate.config;

import io.trustplane.gate.domain.Quorum;
import io.trustplane.gate.domain.RoleRequirement;
import io.trustplane.gate.domain.TierBands;
import io.trustplane.gate.domain.TruthScore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns configuration into the plain domain objects the services use, validating it once at startup. */
public class GateBeans {

    @Produces
    @Singleton
    TierBands tierBands(GateConfig config) {
        GateConfig.Tiers t = config.tiers();
        return new TierBands(t.basic(), t.verified(), t.trusted(), t.privileged(), config.regulatoryCaps());
    }

    @Produces
    @Singleton
    Quorum quorum(GateConfig config) {
        return new Quorum(config.escalation().n(), config.escalation().f());
    }

    @Produces
    @Singleton
    TruthScore truthScore(GateConfig config) {
        GateConfig.Truth t = config.truth();
        return new TruthScore(t.decay(), t.neutral(), t.weight());
    }

    @Produces
    @Singleton
    RoleTable roles(GateConfig config) {
        Map<String, RoleRequirement> roles = new LinkedHashMap<>();
        config.roles().forEach((name, r) -> roles.put(name, new RoleRequirement(r.minTier(), r.kernelEnforced())));
        return new RoleTable(Map.copyOf(roles));
    }

    /** The configured roles and their requirements. */
    public record RoleTable(Map<String, RoleRequirement> roles) {
    }
}

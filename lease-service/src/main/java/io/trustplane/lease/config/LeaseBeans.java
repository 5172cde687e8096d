package io.trustplane.lease.config;

import io.trustplane.lease.domain.EvidenceGate;
import io.trustplane.lease.domain.Phase;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Turns configuration into the plain domain objects, failing startup on a misspelt phase. */
public class LeaseBeans {

    @Produces
    @Singleton
    EvidenceGate evidenceGate(LeaseConfig config) {
        Map<Phase, List<String>> m = new EnumMap<>(Phase.class);
        config.evidence().forEach((phase, kinds) -> m.put(Phase.valueOf(phase.toUpperCase(java.util.Locale.ROOT)),
                kinds.stream().map(String::trim).filter(k -> !k.isEmpty()).toList()));
        return new EvidenceGate(m);
    }
}

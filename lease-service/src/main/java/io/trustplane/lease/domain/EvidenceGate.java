package io.trustplane.lease.domain;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-phase evidence requirements: to leave a phase forward, the transition must carry at least one
 * evidence item of every kind configured for that phase. Backtracks need none (going back is how an agent
 * repairs missing work).
 */
public final class EvidenceGate {

    private final Map<Phase, Set<String>> exitKinds;

    public EvidenceGate(Map<Phase, ? extends Collection<String>> exitKinds) {
        Map<Phase, Set<String>> m = new EnumMap<>(Phase.class);
        exitKinds.forEach((phase, kinds) -> m.put(phase, Set.copyOf(kinds)));
        this.exitKinds = m;
    }

    public Set<String> required(Phase leaving) {
        return exitKinds.getOrDefault(leaving, Set.of());
    }

    /** The required kinds absent from {@code presentKinds}, in a stable order; empty when the gate passes. */
    public List<String> missing(Phase leaving, Collection<String> presentKinds) {
        Set<String> missing = new LinkedHashSet<>(required(leaving).stream().sorted().toList());
        missing.removeAll(Set.copyOf(presentKinds));
        return List.copyOf(missing);
    }
}

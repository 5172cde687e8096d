package io.trustplane.lease.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an agent was told to do in one phase (seed 001). Its hash covers phase, taskId, the sorted
 * requirements, quality gates and artifacts, the context summary, persona hash, agent type and model version;
 * list order never changes the hash, any content change does.
 */
public record PromptSpec(Phase phase, String taskId, List<String> requirements, List<String> qualityGates,
        List<String> artifacts, String contextSummary, String personaHash, String agentType, String modelVersion) {

    public String specHash() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase.name());
        m.put("taskId", taskId);
        m.put("requirements", sorted(requirements));
        m.put("qualityGates", sorted(qualityGates));
        m.put("artifacts", sorted(artifacts));
        m.put("contextSummary", contextSummary == null ? "" : contextSummary);
        m.put("personaHash", personaHash == null ? "" : personaHash);
        m.put("agentType", agentType == null ? "" : agentType);
        m.put("modelVersion", modelVersion == null ? "" : modelVersion);
        return Canonical.sha256(Canonical.json(m));
    }

    private static List<String> sorted(List<String> values) {
        return values == null ? List.of() : values.stream().sorted().toList();
    }
}

package io.trustplane.bench.jmh;

import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.GateEngine;
import io.trustplane.gate.domain.PolicyRule;
import io.trustplane.gate.domain.PolicySet;
import io.trustplane.gate.domain.RegulatoryFramework;
import io.trustplane.gate.domain.RoleRequirement;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.domain.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Role-gate decision with the agent and the policy snapshot already cached (what GateService.evaluate does
 * between its two cache reads and the event): the role table of application.properties and a snapshot of
 * {@value #RULES} admin rules. {@code basisAfterFullScan}: no rule matches, every rule is tried and BASIS
 * decides; {@code policyMatch}: a mid-priority rule decides.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GateBench {

    static final int RULES = 16;

    private Map<String, RoleRequirement> roles;
    private PolicySet policies;
    private AgentSnapshot agent;

    @Setup
    public void setup() {
        roles = Map.of(
                "OBSERVER", new RoleRequirement(Tier.BASIC, false),
                "DATA_ANALYST", new RoleRequirement(Tier.VERIFIED, false),
                "DEPLOYER", new RoleRequirement(Tier.TRUSTED, false),
                "SYSTEM_ADMIN", new RoleRequirement(Tier.PRIVILEGED, true));
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < RULES; i++) {
            String role = List.of("DATA_ANALYST", "DEPLOYER", "OBSERVER", "").get(i % 4);
            List<Tier> tiers = i % 3 == 0 ? List.of() : List.of(Tier.VERIFIED, Tier.TRUSTED);
            List<String> actions = i % 2 == 0 ? List.of("write", "delete") : List.of("read", "export");
            rules.add(PolicyRule.of("0196290a-0000-7000-8000-" + String.format("%012d", i), "rule " + i,
                    100 - i, role, tiers, actions, "warehouse/finance-" + i + "/*", i % 5 == 0 ? Decision.DENY
                            : Decision.ESCALATE, true, 1));
        }
        policies = new PolicySet(RULES, rules);
        agent = new AgentSnapshot(Fixtures.AGENT_ID, 640, 612, Tier.VERIFIED, List.of(RegulatoryFramework.EU_AI_ACT),
                Map.of("team", "billing"), false, null, 3, Instant.parse("2026-04-12T09:00:00Z"), null);
    }

    @Benchmark
    public Verdict basisAfterFullScan() {
        return GateEngine.evaluate(agent, Tier.VERIFIED, "DATA_ANALYST", "read",
                "warehouse/marketing/campaigns.parquet", roles, policies);
    }

    @Benchmark
    public Verdict policyMatch() {
        return GateEngine.evaluate(agent, Tier.VERIFIED, "DATA_ANALYST", "read", "warehouse/finance-7/q1.parquet",
                roles, policies);
    }
}

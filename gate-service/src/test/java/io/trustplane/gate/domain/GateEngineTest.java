package io.trustplane.gate.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GateEngineTest {

    private static final Map<String, RoleRequirement> ROLES = Map.of(
            "DATA_ANALYST", new RoleRequirement(Tier.VERIFIED, false),
            "SYSTEM_ADMIN", new RoleRequirement(Tier.PRIVILEGED, true));

    private static AgentSnapshot agent(Tier tier, boolean suspended) {
        return new AgentSnapshot("a", 0, 0, tier, List.of(), Map.of(), suspended, null, 1, null, null);
    }

    private static Verdict eval(AgentSnapshot a, Tier claimed, String role, PolicySet p) {
        return GateEngine.evaluate(a, claimed, role, "read", "dataset_001", ROLES, p);
    }

    @Test
    void kernelStopsUnknownSuspendedForgedAndUndefined() {
        assertThat(eval(null, null, "DATA_ANALYST", PolicySet.EMPTY).ruleId()).isEqualTo("kernel:unknown-agent");
        assertThat(eval(agent(Tier.TRUSTED, true), null, "DATA_ANALYST", PolicySet.EMPTY).ruleId())
                .isEqualTo("kernel:suspended");
        Verdict forged = eval(agent(Tier.BASIC, false), Tier.TRUSTED, "DATA_ANALYST", PolicySet.EMPTY);
        assertThat(forged.decision()).isEqualTo(Decision.DENY);
        assertThat(forged.boundaryTesting()).isTrue();
        assertThat(eval(agent(Tier.TRUSTED, false), Tier.BASIC, "DATA_ANALYST", PolicySet.EMPTY).decision())
                .as("claiming less than registered is fine").isEqualTo(Decision.ALLOW);
        assertThat(eval(agent(Tier.TRUSTED, false), null, "NOPE", PolicySet.EMPTY).ruleId()).isEqualTo("kernel:unknown-role");
        assertThat(eval(agent(Tier.TRUSTED, false), null, "SYSTEM_ADMIN", PolicySet.EMPTY).ruleId())
                .isEqualTo("kernel:min-tier");
    }

    @Test
    void basisByTierDistance() {
        assertThat(eval(agent(Tier.PRIVILEGED, false), null, "DATA_ANALYST", PolicySet.EMPTY).decision()).isEqualTo(Decision.ALLOW);
        assertThat(eval(agent(Tier.VERIFIED, false), null, "DATA_ANALYST", PolicySet.EMPTY).decision()).isEqualTo(Decision.ALLOW);
        assertThat(eval(agent(Tier.BASIC, false), null, "DATA_ANALYST", PolicySet.EMPTY).decision()).isEqualTo(Decision.ESCALATE);
        Verdict two = eval(agent(Tier.UNKNOWN, false), null, "DATA_ANALYST", PolicySet.EMPTY);
        assertThat(two.decision()).isEqualTo(Decision.DENY);
        assertThat(two.layer()).isEqualTo(Layer.BASIS);
    }

    @Test
    void highestPriorityMatchingPolicyWins() {
        PolicyRule low = PolicyRule.of("p1", "low", 1, "DATA_ANALYST", List.of(), List.of("read"), "dataset_*",
                Decision.DENY, true, 1);
        PolicyRule high = PolicyRule.of("p2", "high", 5, null, List.of(Tier.BASIC), List.of(), "dataset_0??",
                Decision.ALLOW, true, 1);
        PolicyRule disabled = PolicyRule.of("p3", "off", 9, null, List.of(), List.of(), "*", Decision.DENY, false, 1);
        PolicySet set = new PolicySet(3, List.of(low, high, disabled));
        Verdict basic = eval(agent(Tier.BASIC, false), null, "DATA_ANALYST", set);
        assertThat(basic.layer()).isEqualTo(Layer.POLICY);
        assertThat(basic.ruleId()).isEqualTo("p2");
        Verdict trusted = eval(agent(Tier.TRUSTED, false), null, "DATA_ANALYST", set);
        assertThat(trusted.ruleId()).isEqualTo("p1");
        assertThat(trusted.decision()).isEqualTo(Decision.DENY);
    }

    @Test
    void tierAliasesParse() {
        assertThat(Tier.parse("t0")).isEqualTo(Tier.UNKNOWN);
        assertThat(Tier.parse("T4")).isEqualTo(Tier.PRIVILEGED);
        assertThat(Tier.parse("verified")).isEqualTo(Tier.VERIFIED);
        assertThat(Tier.TRUSTED.alias()).isEqualTo("T3");
    }
}

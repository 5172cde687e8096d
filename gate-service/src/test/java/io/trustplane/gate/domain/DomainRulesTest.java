package io.trustplane.gate.domain;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainRulesTest {

    private final TierBands bands = new TierBands(200, 400, 600, 800,
            Map.of("EU_AI_ACT", 699, "ISO_42001", 799, "NIST_AI_RMF", 899));

    @Test
    void tiersByBandAndRegulatoryCaps() {
        assertThat(bands.tierOf(0)).isEqualTo(Tier.UNKNOWN);
        assertThat(bands.tierOf(199)).isEqualTo(Tier.UNKNOWN);
        assertThat(bands.tierOf(200)).isEqualTo(Tier.BASIC);
        assertThat(bands.tierOf(400)).isEqualTo(Tier.VERIFIED);
        assertThat(bands.tierOf(799)).isEqualTo(Tier.TRUSTED);
        assertThat(bands.tierOf(1000)).isEqualTo(Tier.PRIVILEGED);
        assertThat(bands.effectiveScore(950, List.of(RegulatoryFramework.EU_AI_ACT))).isEqualTo(699);
        assertThat(bands.effectiveScore(950, List.of(RegulatoryFramework.ISO_42001))).isEqualTo(799);
        assertThat(bands.effectiveScore(950, List.of(RegulatoryFramework.NIST_AI_RMF))).isEqualTo(899);
        assertThat(bands.effectiveScore(950, List.of(RegulatoryFramework.NIST_AI_RMF, RegulatoryFramework.EU_AI_ACT)))
                .isEqualTo(699);
        assertThat(bands.effectiveScore(500, List.of(RegulatoryFramework.EU_AI_ACT))).isEqualTo(500);
    }

    @Test
    void quorumOfFourToleratingOneNeedsThree() {
        Quorum q = new Quorum(4, 1);
        assertThat(q.approvalsNeeded()).isEqualTo(3);
        assertThat(q.outcome(2, 0)).isNull();
        assertThat(q.outcome(2, 1)).isNull();
        assertThat(q.outcome(3, 1)).isEqualTo(EscalationStatus.APPROVED);
        assertThat(q.outcome(1, 2)).isEqualTo(EscalationStatus.REJECTED);
        assertThatThrownBy(() -> new Quorum(3, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truthShareWeighsRecentOutcomesMore() {
        TruthScore t = new TruthScore(0.5, 0.5, 20);
        assertThat(t.share(List.of())).isEqualTo(0.5);
        assertThat(t.share(List.of(true, false))).isGreaterThan(0.5);
        assertThat(t.share(List.of(false, true))).isLessThan(0.5);
        assertThat(t.delta(1.0)).isEqualTo(10);
        assertThat(t.delta(0.0)).isEqualTo(-10);
        assertThat(TruthScore.clamp(1005)).isEqualTo(1000);
    }

    @Test
    void bucketsAreStickyAndWithinOnePercentOfTheTarget() {
        int[] stages = {5, 15, 50, 100};
        int n = 10_000;
        boolean[] previous = new boolean[n];
        for (int stage : stages) {
            int in = 0;
            for (int i = 0; i < n; i++) {
                boolean enabled = Buckets.enabled("flag-x", "agent-" + i, stage);
                if (previous[i]) {
                    assertThat(enabled).as("agent-%d stays in at %d%%", i, stage).isTrue();
                }
                previous[i] = enabled;
                in += enabled ? 1 : 0;
            }
            assertThat(Math.abs(in / (double) n - stage / 100.0)).as("share at %d%%", stage).isLessThanOrEqualTo(0.01);
        }
        assertThat(Collections.frequency(List.of(Buckets.bucket("f", "a"), Buckets.bucket("f", "a")),
                Buckets.bucket("f", "a"))).isEqualTo(2);
    }

    @Test
    void ceilingStatusThresholds() {
        assertThat(CeilingStatus.of(true, 39, 50, 0.8)).isEqualTo(CeilingStatus.COMPLIANT);
        assertThat(CeilingStatus.of(true, 40, 50, 0.8)).isEqualTo(CeilingStatus.WARNING);
        assertThat(CeilingStatus.of(false, 50, 50, 0.8)).isEqualTo(CeilingStatus.VIOLATION);
    }
}

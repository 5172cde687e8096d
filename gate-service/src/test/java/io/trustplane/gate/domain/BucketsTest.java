package io.trustplane.gate.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout bucket function is uniform (stickiness: {@code DomainRulesTest}). One flag's cohort is a binomial sample, so its share
 * wanders by ±0.5 % (one sigma at 50 % of 10,000 agents); averaged over many flags it must sit on the share.
 */
class BucketsTest {

    static final int AGENTS = 10_000;
    static final int FLAGS = 40;

    @Test
    void sharesAveragedOverManyFlagsMatchEveryStage() {
        int[] stages = {1, 5, 15, 50, 100};
        long[] in = new long[stages.length];
        for (int f = 0; f < FLAGS; f++) {
            String flag = "flag-" + f;
            for (int a = 0; a < AGENTS; a++) {
                int bucket = Buckets.bucket(flag, "agent-" + a);
                assertThat(bucket).isBetween(0, Buckets.SCALE - 1);
                for (int s = 0; s < stages.length; s++) {
                    in[s] += Buckets.enabled(flag, "agent-" + a, stages[s]) ? 1 : 0;
                }
            }
        }
        for (int s = 0; s < stages.length; s++) {
            double share = in[s] / (double) (FLAGS * AGENTS);
            // sigma over 400,000 draws is at most 0.08 %; 0.4 % is five sigma
            assertThat(Math.abs(share - stages[s] / 100.0)).as("mean share at %d%%", stages[s])
                    .isLessThanOrEqualTo(0.004);
        }
    }
}

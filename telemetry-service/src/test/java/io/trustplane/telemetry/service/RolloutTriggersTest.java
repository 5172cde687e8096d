package io.trustplane.telemetry.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutTriggersTest {

    private final RolloutTriggers.Limits limits = new RolloutTriggers.Limits(100, 0.02, 1.5);

    @Test
    void errorRateAboveControlByMoreThanTheDeltaTriggers() {
        var control = new RolloutTriggers.Side(1000, 10, 100);   // 1 %
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(200, 7, 100), control, limits))
                .hasValueSatisfying(r -> assertThat(r).contains("error rate")); // 3.5 %
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(200, 6, 100), control, limits)).isEmpty(); // 3 %
    }

    @Test
    void latencyAboveControlTimesTheFactorTriggers() {
        var control = new RolloutTriggers.Side(1000, 0, 100);
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(200, 0, 151), control, limits))
                .hasValueSatisfying(r -> assertThat(r).contains("latency"));
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(200, 0, 150), control, limits)).isEmpty();
    }

    @Test
    void tooFewCohortRequestsNeverTrigger() {
        var control = new RolloutTriggers.Side(1000, 0, 100);
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(99, 99, 999), control, limits)).isEmpty();
    }

    @Test
    void noControlDataStillCatchesErrors() {
        var control = new RolloutTriggers.Side(0, 0, 0);
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(100, 5, 500), control, limits)).isPresent();
        assertThat(RolloutTriggers.evaluate(new RolloutTriggers.Side(100, 1, 500), control, limits)).isEmpty();
    }
}

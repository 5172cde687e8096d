package io.trustplane.telemetry.domain.rollout;

import org.junit.jupiter.api.Test;

import java.util.List;

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
    void belowHundredPercentAnArmWithoutEnoughSamplesNeverTriggers() {
        // seed 004 issue: 200 samples per arm before any trigger; no control data is no comparison
        var seed = new RolloutTriggers.Limits(200, 0.01, 1.5, List.of(), 1000, 0.01);
        assertThat(RolloutTriggers.evaluate(5, new RolloutTriggers.Side(500, 100, 900), new RolloutTriggers.Side(0, 0, 0),
                seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(5, new RolloutTriggers.Side(500, 100, 900),
                new RolloutTriggers.Side(199, 0, 100), seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(5, new RolloutTriggers.Side(199, 100, 900),
                new RolloutTriggers.Side(500, 0, 100), seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(5, new RolloutTriggers.Side(200, 100, 900),
                new RolloutTriggers.Side(200, 0, 100), seed)).isPresent();
    }

    /** Seed 004, "Phase 4A-4C": rollback above +5 % response time at 5 %, +7 % at 15 %, +8 % at 50 %. */
    @Test
    void responseTimeTriggersFollowTheStage() {
        var seed = new RolloutTriggers.Limits(200, 0.01, 1.5, List.of(RolloutTriggers.Stage.parse("15:0.07"),
                RolloutTriggers.Stage.parse("5:0.05"), RolloutTriggers.Stage.parse("50:0.08")), 1000, 0.01);
        var control = new RolloutTriggers.Side(1000, 0, 100);
        assertThat(RolloutTriggers.evaluate(5, new RolloutTriggers.Side(1000, 0, 105), control, seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(5, new RolloutTriggers.Side(1000, 0, 105.5), control, seed)).isPresent();
        assertThat(RolloutTriggers.evaluate(15, new RolloutTriggers.Side(1000, 0, 106.5), control, seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(15, new RolloutTriggers.Side(1000, 0, 107.5), control, seed)).isPresent();
        assertThat(RolloutTriggers.evaluate(50, new RolloutTriggers.Side(1000, 0, 107.5), control, seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(50, new RolloutTriggers.Side(1000, 0, 108.5), control, seed)).isPresent();
    }

    @Test
    void errorRateMoreThanOnePointAboveControlTriggers() {
        var seed = new RolloutTriggers.Limits(200, 0.01, 1.5, List.of(), 1000, 0.01);
        var control = new RolloutTriggers.Side(1000, 10, 100); // 1 %
        assertThat(RolloutTriggers.evaluate(15, new RolloutTriggers.Side(1000, 20, 100), control, seed)).isEmpty(); // 2 %
        assertThat(RolloutTriggers.evaluate(15, new RolloutTriggers.Side(1000, 21, 100), control, seed)).isPresent();
    }

    @Test
    void atHundredPercentTheCohortIsHeldToTheSla() {
        var seed = new RolloutTriggers.Limits(200, 0.01, 1.5, List.of(), 1000, 0.01);
        var none = new RolloutTriggers.Side(0, 0, 0);
        assertThat(RolloutTriggers.evaluate(100, new RolloutTriggers.Side(1000, 10, 1000), none, seed)).isEmpty();
        assertThat(RolloutTriggers.evaluate(100, new RolloutTriggers.Side(1000, 10, 1001), none, seed)).isPresent();
        assertThat(RolloutTriggers.evaluate(100, new RolloutTriggers.Side(1000, 11, 900), none, seed)).isPresent();
        assertThat(RolloutTriggers.evaluate(100, new RolloutTriggers.Side(199, 500, 9000), none, seed)).isEmpty();
    }
}

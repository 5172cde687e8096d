package io.trustplane.telemetry.domain.gaming;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GamingDetectorsTest {

    @Test
    void rapidChangeFiresAtTheDeltaAndNotBelow() {
        assertThat(GamingDetectors.rapidChange(List.of(500.0, 560.0, 650.0), 150)).isPresent();
        assertThat(GamingDetectors.rapidChange(List.of(500.0, 560.0, 649.0), 150)).isEmpty();
        assertThat(GamingDetectors.rapidChange(List.of(500.0), 150)).isEmpty();
    }

    @Test
    void oscillationCountsDirectionReversalsIgnoringNoise() {
        List<Double> fourReversals = List.of(500.0, 560.0, 500.0, 560.0, 500.0, 560.0);
        List<Double> threeReversals = List.of(500.0, 560.0, 500.0, 560.0, 500.0);
        assertThat(GamingDetectors.countReversals(fourReversals, 10)).isEqualTo(4);
        assertThat(GamingDetectors.oscillation(fourReversals, 4, 10)).isPresent();
        assertThat(GamingDetectors.oscillation(threeReversals, 4, 10)).isEmpty();
        // steps below the minimum are noise, not reversals
        assertThat(GamingDetectors.countReversals(List.of(500.0, 505.0, 500.0, 505.0, 500.0, 505.0), 10)).isZero();
        // a steady climb never reverses
        assertThat(GamingDetectors.countReversals(List.of(100.0, 200.0, 300.0, 400.0), 10)).isZero();
    }

    @Test
    void boundaryTestingAndCeilingBreachAreCountThresholds() {
        assertThat(GamingDetectors.boundaryTesting(5, 5)).isPresent();
        assertThat(GamingDetectors.boundaryTesting(4, 5)).isEmpty();
        assertThat(GamingDetectors.ceilingBreach(1, 1)).isPresent();
        assertThat(GamingDetectors.ceilingBreach(0, 1)).isEmpty();
    }
}

package io.trustplane.telemetry.domain.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 003's classification of one readiness poll, staleness, and the cluster summary. */
class HealthStatusTest {

    static final Duration BUDGET = Duration.ofSeconds(1);

    @Test
    void aReadyAnswerIsHealthyWithinTheLatencyBudgetAndDegradedPastIt() {
        assertThat(HealthStatus.classify(200, Duration.ofMillis(999), BUDGET, 2, 0)).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.classify(200, BUDGET, BUDGET, 2, 0)).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.classify(200, Duration.ofMillis(1001), BUDGET, 2, 0)).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void aNotReadyAnswerIsDegradedOnlyWhileSomeChecksAreStillUp() {
        assertThat(HealthStatus.classify(503, Duration.ZERO, BUDGET, 1, 1)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.classify(503, Duration.ZERO, BUDGET, 0, 2)).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(HealthStatus.classify(500, Duration.ZERO, BUDGET, 2, 0)).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(HealthStatus.classify(null, Duration.ZERO, BUDGET, 0, 0)).isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void aStatusOlderThanTheBoundIsUnknown() {
        Duration bound = Duration.ofSeconds(30);
        assertThat(HealthStatus.current(HealthStatus.HEALTHY, Duration.ofSeconds(30), bound)).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.current(HealthStatus.HEALTHY, Duration.ofSeconds(31), bound)).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.current(null, Duration.ZERO, bound)).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void theClusterIsAsBadAsItsWorstServiceAndHealthyOnlyWhenAllAre() {
        assertThat(HealthStatus.cluster(List.of())).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.cluster(List.of(HealthStatus.HEALTHY, HealthStatus.HEALTHY))).isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.cluster(List.of(HealthStatus.HEALTHY, HealthStatus.UNKNOWN))).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.cluster(List.of(HealthStatus.UNKNOWN, HealthStatus.UNKNOWN))).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(HealthStatus.cluster(List.of(HealthStatus.DEGRADED, HealthStatus.UNHEALTHY))).isEqualTo(HealthStatus.UNHEALTHY);
    }
}

package io.trustplane.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic and the plan of the costs and startup measurements (no load is generated here). */
class StandAloneMeasurementsTest {

    private static Measurement rate(double opsPerSecond) {
        return new Measurement("x", "wrk", 64, 10, 0, 0, opsPerSecond, 0, 0, 0, 0, 0, Map.of());
    }

    @Test
    void cpuPerRequestIsTheDifferenceOfCpuTimePerRequestOverAllCores() {
        // 2 cores: 20,000 req/s = 100 µs of CPU each, 10,000 req/s = 200 µs: the piece adds 100 µs
        assertThat(CrossCutting.cpuMicros(rate(10_000), rate(20_000), 2)).isCloseTo(100, within(1e-9));
        assertThat(CrossCutting.cpuMicros(rate(20_000), rate(20_000), 2)).isZero();
        assertThat(CrossCutting.cpuMicros(rate(25_000), rate(20_000), 2)).isNegative();
    }

    @Test
    void everyConfigurationIsComparedWithOneMeasuredBeforeIt() {
        Set<String> seen = new HashSet<>();
        for (CrossCutting.Variant v : CrossCutting.variants()) {
            if (v.baseline() != null) {
                assertThat(seen).as(v.name() + " compares with " + v.baseline()).contains(v.baseline());
            }
            assertThat(seen.add(v.name())).as("unique name " + v.name()).isTrue();
            assertThat(v.build()).isIn("ceiling", "plain", "metrics", "otel", "full");
        }
        assertThat(seen).contains("ceiling", "extensions", "http-metrics", "otel-ratio-1", "otel-sdk-disabled", "jwt",
                "jwt-cached", "log-json", "validated", "services-before", "services-defaults");
    }

    @Test
    void aSelectionBringsWhatItIsComparedWith() {
        assertThat(CrossCutting.selected("services-defaults").stream().map(CrossCutting.Variant::name))
                .containsExactly("ceiling", "services-before", "services-defaults");
        assertThat(CrossCutting.selected("jwt-otel-ratio-0.1,log-json").stream().map(CrossCutting.Variant::name))
                .containsExactly("ceiling", "extensions", "jwt", "jwt-otel-ratio-0.1", "log-text", "log-json");
        assertThat(CrossCutting.selected("")).isEqualTo(CrossCutting.variants());
    }

    @Test
    void medianOfOddAndEvenRunCounts() {
        Startup.Run a = new Startup.Run(300, 0.3, 100, 200, 10);
        Startup.Run b = new Startup.Run(100, 0.1, 300, 100, 30);
        Startup.Run c = new Startup.Run(200, 0.2, 200, 300, 20);
        assertThat(Startup.median(List.of(a, b, c), Startup.Run::readyMs)).isEqualTo(200);
        assertThat(Startup.median(List.of(a, b), Startup.Run::rssIdleKiB)).isEqualTo(200);
        assertThat(Startup.median(List.of(), Startup.Run::readyMs)).isNaN();
    }
}

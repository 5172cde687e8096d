package io.trustplane.telemetry.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The operator dashboard's tunables; defaults are documented in application.properties. */
@ConfigMapping(prefix = "trustplane.dashboard")
public interface DashboardConfig {

    /** How long the pass-through waits for lease, provenance or gate-service before answering 503. */
    @WithDefault("PT5S")
    Duration proxyTimeout();

    /** Most points one chart series may ask for (window / step). */
    @WithDefault("1440")
    int seriesMaxPoints();
}

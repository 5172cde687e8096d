package io.trustplane.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Base URLs of the other Trustplane services, for stats, suite health and rollbacks. */
@ConfigMapping(prefix = "trustplane.services")
public interface ServicesConfig {

    @WithDefault("http://localhost:8081")
    String lease();

    @WithDefault("http://localhost:8082")
    String provenance();

    @WithDefault("http://localhost:8083")
    String gate();

    @WithDefault("http://localhost:8084")
    String telemetry();
}

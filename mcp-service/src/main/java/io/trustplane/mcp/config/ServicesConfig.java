package io.trustplane.mcp.config;

import io.smallrye.config.ConfigMapping;

/** Base URLs of the four services (the launcher, Compose and the chart set them). */
@ConfigMapping(prefix = "trustplane.services")
public interface ServicesConfig {

    String lease();

    String provenance();

    String gate();

    String telemetry();
}

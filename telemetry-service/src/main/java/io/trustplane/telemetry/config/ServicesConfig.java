package io.trustplane.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

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

    /**
     * The token telemetry presents to gate and provenance-service: {@code trustplane.service-token}, read only here
     * (empty: the calls that need it are skipped).
     */
    @WithName("token")
    @WithDefault("${trustplane.service-token:}")
    Optional<String> serviceToken();

    /** The token, or empty when unset or blank. */
    default Optional<String> token() {
        return serviceToken().filter(t -> !t.isBlank());
    }
}

package io.trustplane.telemetry.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Settings the whole suite shares under {@code trustplane.*} that telemetry reads: the service token it presents to
 * gate and provenance-service ({@code trustplane.service-token}; empty: calls that need it are skipped).
 */
@ConfigMapping(prefix = "trustplane")
public interface SuiteConfig {

    Optional<String> serviceToken();

    /** The token, or empty when unset or blank. */
    default Optional<String> token() {
        return serviceToken().filter(t -> !t.isBlank());
    }
}

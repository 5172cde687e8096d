package io.trustplane.gate.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Base URLs of the other services gate-service calls. lease-service unset: containment records its lease step as
 * failed, saying so, instead of calling. (The service token, {@code trustplane.service-token}, sits outside this
 * prefix: {@code client/ServiceTokenHeaders} reads it, and nothing else does.)
 */
@ConfigMapping(prefix = "trustplane.services")
public interface ServicesConfig {

    /** lease-service, e.g. {@code http://localhost:8081}; the REST client's URL is this one. */
    Optional<String> lease();

    /** provenance-service; not called by gate-service (the launcher and the chart set every service's URL). */
    Optional<String> provenance();

    /** gate-service itself, when set. */
    Optional<String> gate();

    /** telemetry-service; not called by gate-service. */
    Optional<String> telemetry();
}

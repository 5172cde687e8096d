package io.trustplane.gate.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * How gate-service reaches the other services: lease-service's base URL and the token gate-service presents (service
 * role). Either unset: containment records its lease step as failed, saying so, instead of calling.
 */
@ConfigMapping(prefix = "trustplane")
public interface ServicesConfig {

    /** The service token (a JWT with the service role); read nowhere else. */
    Optional<String> serviceToken();

    Services services();

    /** Base URLs of the other services. */
    interface Services {

        /** lease-service, e.g. {@code http://localhost:8081}; the REST client's URL is this one. */
        Optional<String> lease();
    }
}

package io.trustplane.lease.config;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The service-role JWT lease-service sends to the other services ({@code trustplane.service-token}), read here and
 * nowhere else. Not a {@code @ConfigMapping}: the key sits directly under {@code trustplane}, and a mapping of that
 * prefix would claim (and refuse at startup) every other {@code trustplane.*} key no mapping declares.
 */
@Singleton
public class ServiceToken {

    private final Optional<String> value;

    public ServiceToken(@ConfigProperty(name = "trustplane.service-token") Optional<String> value) {
        this.value = value.filter(s -> !s.isBlank());
    }

    /** The token, or empty when this service runs without one (its outbound calls are then skipped). */
    public Optional<String> value() {
        return value;
    }
}

package io.trustplane.common.config;

import java.util.Optional;

/**
 * Base URLs of the four Trustplane services ({@code trustplane.services.*}: the launcher, Compose and the chart set
 * all four on every service), unset in a service that runs alone. A service's {@code @ConfigMapping} of that prefix
 * extends this, so it accepts every key of the prefix whichever services it calls.
 */
public interface ServiceUrls {

    /** lease-service, e.g. {@code http://localhost:8081}. */
    Optional<String> lease();

    Optional<String> provenance();

    Optional<String> gate();

    Optional<String> telemetry();
}

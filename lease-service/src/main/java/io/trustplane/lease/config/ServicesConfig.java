package io.trustplane.lease.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Base URLs of the Trustplane services ({@code trustplane.services.*}: the launcher, Compose and the chart set them);
 * unset in a lease-service that runs alone, which then skips its calls to them. lease-service calls provenance-service
 * only; the others are listed because this mapping owns the whole {@code trustplane.services} prefix.
 */
@ConfigMapping(prefix = "trustplane.services")
public interface ServicesConfig {

    Optional<String> lease();

    /** provenance-service, asked for the anchors of a ledger verify. */
    Optional<String> provenance();

    Optional<String> gate();

    Optional<String> telemetry();
}

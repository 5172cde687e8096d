package io.trustplane.lease.config;

import io.smallrye.config.ConfigMapping;
import io.trustplane.common.config.ServiceUrls;

/**
 * Base URLs of the Trustplane services; unset in a lease-service that runs alone, which then skips its calls to them.
 * lease-service calls provenance-service only, asked for the anchors of a ledger verify.
 */
@ConfigMapping(prefix = "trustplane.services")
public interface ServicesConfig extends ServiceUrls {
}

package io.trustplane.gate.config;

import io.smallrye.config.ConfigMapping;
import io.trustplane.common.config.ServiceUrls;

/**
 * Base URLs of the other services gate-service calls: lease-service only (the REST client's URL is its one); unset,
 * containment records its lease step as failed, saying so, instead of calling. (The service token,
 * {@code trustplane.service-token}, sits outside this prefix: {@code client/ServiceTokenHeaders} reads it, and nothing
 * else does.)
 */
@ConfigMapping(prefix = "trustplane.services")
public interface ServicesConfig extends ServiceUrls {
}

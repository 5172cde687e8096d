package io.trustplane.common.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Per-caller rate limits ({@code trustplane.rate-limit.*}); the values every service shares are in common's
 * META-INF/microprofile-config.properties (a service's application.properties may override them). Limits are per replica: N replicas admit up to N times these rates in total.
 */
@ConfigMapping(prefix = "trustplane.rate-limit")
public interface RateLimitConfig {

    /** Off: no bucket is kept and no X-RateLimit-* header is sent. */
    @WithDefault("true")
    boolean enabled();

    /** Role name (agent, operator, admin) -> its limit; a caller with several roles gets the most generous. */
    Map<String, Rate> roles();

    /** Roles never limited (the services calling each other). */
    Set<String> exemptRoles();

    /** Requests without a verified token (and tokens with none of the roles above), per client address. */
    Rate anonymous();

    /** Callers tracked at once by a replica before idle buckets are dropped. */
    @WithDefault("100000")
    int maxCallers();

    /** The limits held across a service's replicas (see {@link SharedBudgets}). */
    Shared shared();

    /** Off: each replica limits on its own, and N replicas admit up to N times the rates. */
    interface Shared {
        @WithDefault("true")
        boolean enabled();

        /** How often a replica reports what it admitted and takes its new share (no Redis call per request). */
        @WithDefault("100ms")
        Duration syncInterval();
    }

    /** A sustained rate and the burst a caller may spend at once. */
    interface Rate {
        double requestsPerSecond();

        int burst();
    }
}

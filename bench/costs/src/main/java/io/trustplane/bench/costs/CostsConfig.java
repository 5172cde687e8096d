package io.trustplane.bench.costs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Run-time switches of the costs app (set with -D at start). */
@ConfigMapping(prefix = "costs")
public interface CostsConfig {

    /** The verified-token cache: off measures plain SmallRye JWT. */
    JwtCache jwtCache();

    interface JwtCache {
        @WithDefault("false")
        boolean enabled();

        /** At most this many verified tokens are kept; when full, new tokens are verified but not cached. */
        @WithDefault("100000")
        int maxEntries();
    }
}

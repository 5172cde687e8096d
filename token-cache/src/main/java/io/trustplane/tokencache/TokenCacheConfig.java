package io.trustplane.tokencache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How long and how many verified bearer tokens {@link CachingJwtParser} remembers. */
@ConfigMapping(prefix = "trustplane.auth.token-cache")
public interface TokenCacheConfig {

    /** Off: every request verifies its token's signature again. */
    @WithDefault("true")
    boolean enabled();

    /** Upper bound on remembered tokens; live agents each hold one or a few. */
    @WithDefault("100000")
    int maxEntries();

    /** A verified token is trusted again for at most this long, even if its exp is later (bounds key rotation). */
    @WithDefault("PT5M")
    Duration maxAge();
}

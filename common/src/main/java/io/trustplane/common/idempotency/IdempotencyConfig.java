package io.trustplane.common.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Replays of requests carrying {@code Idempotency-Key} ({@code trustplane.idempotency.*}). */
@ConfigMapping(prefix = "trustplane.idempotency")
public interface IdempotencyConfig {

    /** How long a successful answer is kept and replayed. */
    Duration ttl();

    /** How long a first attempt holds its key while it runs (a crashed attempt frees the key after this). */
    Duration pendingTtl();

    /** How often a replica deletes expired keys from its service's {@code idempotency_keys} (1000 at a time). */
    @WithDefault("1m")
    Duration sweepInterval();
}

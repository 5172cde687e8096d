package io.trustplane.common.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The buckets of one replica, one per caller key, in a bounded map. A full bucket holds no state, so when the
 * map reaches its bound the idle (full) buckets are dropped without changing any caller's budget; only if
 * every tracked caller is mid-burst is the map cleared, which hands those callers a fresh burst.
 */
public final class RateLimiter {

    private static final Function<String, TokenBucket> NEW_BUCKET = k -> new TokenBucket();

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final int maxKeys;
    private final LongSupplier clock;

    public RateLimiter(int maxKeys, LongSupplier nanoClock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("max-callers must be at least 1");
        }
        this.maxKeys = maxKeys;
        this.clock = nanoClock;
    }

    /** Takes one token from {@code key}'s bucket; the result is read with {@link TokenBucket.Decision}. */
    public long take(String key, TokenBucket.Limit limit) {
        long now = clock.getAsLong();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                sweep(now);
            }
            bucket = buckets.computeIfAbsent(key, NEW_BUCKET);
        }
        return bucket.tryTake(now, limit);
    }

    /** Callers currently tracked (idle ones included until the next sweep). */
    public int size() {
        return buckets.size();
    }

    private void sweep(long now) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            buckets.values().removeIf(b -> b.isIdle(now));
            if (buckets.size() >= maxKeys) {
                buckets.clear();
            }
        } finally {
            sweeping.set(false);
        }
    }
}

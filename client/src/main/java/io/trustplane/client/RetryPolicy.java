package io.trustplane.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the client retries a call answered 429 or 503 (or a dropped connection on a call that is safe to repeat):
 * at most {@code maxAttempts} attempts, waits of exponential backoff with full jitter between {@code baseDelay} and
 * {@code maxDelay}, never shorter than the server's {@code Retry-After}, and never past the call's deadline.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(5));
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * The wait before attempt {@code attempt + 1}: the server's {@code Retry-After} plus up to a fifth of it (so that
     * clients told the same second do not return together), else full jitter over the exponential backoff.
     */
    Duration delay(int attempt, Duration retryAfter) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (retryAfter != null && !retryAfter.isZero()) {
            long ms = retryAfter.toMillis();
            return Duration.ofMillis(ms + random.nextLong(Math.max(1, ms / 5) + 1));
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap <= 0 ? 0 : cap / 2 + random.nextLong(cap / 2 + 1));
    }
}

package io.trustplane.common.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One caller's token bucket, kept as a single number (the generic cell rate algorithm): the time at which the
 * bucket would be full again. A request costs one emission interval ({@code 1 / rate}); it is allowed while
 * that time stays within {@code burst} intervals of now. One compare-and-set per request, no allocation, no lock.
 */
public final class TokenBucket {

    private static final VarHandle FULL_AT;

    static {
        try {
            FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Marks a bucket that has never been used: full. */
    private static final long NEVER = Long.MIN_VALUE;

    /** System.nanoTime() at which the bucket is full again ({@link #NEVER} for a new bucket). */
    @SuppressWarnings("unused") // accessed through FULL_AT
    private volatile long fullAt = NEVER;

    /**
     * Takes one token at {@code now} (nanoseconds on the {@link System#nanoTime()} scale).
     *
     * @return the decision, packed by {@link Decision}: allowed with the tokens left and the seconds until the
     *         bucket is full, or refused with the seconds until one token is back
     */
    public long tryTake(long now, Limit limit) {
        long interval = limit.intervalNanos();
        long capacity = limit.capacityNanos();
        while (true) {
            long current = fullAt;
            // max(current, now), compared as nanoTime values are: by the sign of the difference
            long base = current != NEVER && current - now > 0 ? current : now;
            long next = base + interval;
            long debt = next - now;
            if (debt > capacity) {
                return Decision.refused(ceilSeconds(debt - capacity));
            }
            if (FULL_AT.compareAndSet(this, current, next)) {
                return Decision.allowed((int) ((capacity - debt) / interval), ceilSeconds(debt));
            }
        }
    }

    /** True when the bucket is full at {@code now}: it holds no state a new bucket would not. */
    public boolean isIdle(long now) {
        long current = fullAt;
        return current == NEVER || current - now <= 0;
    }

    static int ceilSeconds(long nanos) {
        long s = (nanos + 999_999_999L) / 1_000_000_000L;
        return (int) Math.min(Math.max(s, 1), Integer.MAX_VALUE);
    }

    /** A rate and a burst, precomputed as nanoseconds, with the header value strings made once. */
    public record Limit(double requestsPerSecond, int burst, long intervalNanos, long capacityNanos,
            String burstHeader) {

        public static Limit of(double requestsPerSecond, int burst) {
            if (!(requestsPerSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs requests-per-second > 0 and burst >= 1, got "
                        + requestsPerSecond + " and " + burst);
            }
            long interval = Math.max(1, Math.round(1_000_000_000d / requestsPerSecond));
            return new Limit(requestsPerSecond, burst, interval, Math.multiplyExact(interval, (long) burst),
                    Integer.toString(burst));
        }
    }

    /** The outcome of {@link #tryTake}, packed in a long so the hot path allocates nothing. */
    public static final class Decision {

        private Decision() {
        }

        static long allowed(int remaining, int resetSeconds) {
            return ((long) remaining << 32) | (resetSeconds & 0xFFFF_FFFFL);
        }

        static long refused(int retryAfterSeconds) {
            return (-1L << 32) | (retryAfterSeconds & 0xFFFF_FFFFL);
        }

        public static boolean isAllowed(long decision) {
            return decision >= 0;
        }

        /** Tokens left after an allowed request; 0 when refused. */
        public static int remaining(long decision) {
            return decision >= 0 ? (int) (decision >>> 32) : 0;
        }

        /** Allowed: seconds until the bucket is full again. Refused: seconds until a request is allowed. */
        public static int seconds(long decision) {
            return (int) decision;
        }
    }
}

package io.trustplane.bench.jmh;

import io.trustplane.common.ratelimit.RateLimiter;
import io.trustplane.common.ratelimit.SharedBudgets;
import io.trustplane.common.ratelimit.TokenBucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The rate limiter's per-request decision, A/B: the replica's own bucket alone (per-replica limits) and the bucket
 * followed by the shared budget's local admission (service-wide limits). The shared budget's Redis sync runs on a
 * timer, off the request path, so it is not part of either; the limit is generous so every request is allowed,
 * which is the common path. 1000 callers, round robin, as a replica serving many agents sees them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimitBench {

    private static final int CALLERS = 1000;

    private final String[] callers = new String[CALLERS];
    private final TokenBucket.Limit limit = TokenBucket.Limit.of(1e9, 1_000_000);
    private RateLimiter local;
    private SharedBudgets shared;
    private int next;

    @Setup
    public void setup() {
        for (int i = 0; i < CALLERS; i++) {
            callers[i] = "c:agent-" + i;
        }
        local = new RateLimiter(100_000, System::nanoTime);
        // no Redis: sync() is never called here, so every share keeps its first-contact (unbounded) value
        shared = new SharedBudgets(null, "tp:ratelimit:bench:", "replica-1", Duration.ofMillis(100), 100_000,
                () -> System.nanoTime() / 1000, Duration.ofSeconds(2));
    }

    @Benchmark
    public long localBucketOnly() {
        String caller = callers[next++ % CALLERS];
        return local.take(caller, limit);
    }

    @Benchmark
    public boolean localBucketAndSharedBudget() {
        String caller = callers[next++ % CALLERS];
        return TokenBucket.Decision.isAllowed(local.take(caller, limit)) && shared.admit(caller, limit);
    }
}

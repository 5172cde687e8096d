package io.trustplane.common.ratelimit;

import io.trustplane.common.ratelimit.TokenBucket.Decision;
import io.trustplane.common.ratelimit.TokenBucket.Limit;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bucket's arithmetic on a hand-driven clock: burst, refill, refusal with Retry-After, and eviction. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aNewBucketAllowsTheBurstThenRefusesWithTheTimeToTheNextToken() {
        TokenBucket bucket = new TokenBucket();
        Limit limit = Limit.of(2, 4); // one token every 500 ms, four at once
        long now = 42 * SECOND;
        for (int expectedRemaining = 3; expectedRemaining >= 0; expectedRemaining--) {
            long d = bucket.tryTake(now, limit);
            assertThat(Decision.isAllowed(d)).isTrue();
            assertThat(Decision.remaining(d)).isEqualTo(expectedRemaining);
        }
        long refused = bucket.tryTake(now, limit);
        assertThat(Decision.isAllowed(refused)).isFalse();
        assertThat(Decision.remaining(refused)).isZero();
        assertThat(Decision.seconds(refused)).as("Retry-After rounds 500 ms up").isEqualTo(1);
        // a refused request costs nothing: half a second later exactly one token is back
        assertThat(Decision.isAllowed(bucket.tryTake(now + SECOND / 2, limit))).isTrue();
        assertThat(Decision.isAllowed(bucket.tryTake(now + SECOND / 2, limit))).isFalse();
    }

    @Test
    void theSustainedRateIsAllowedForeverAndResetSaysWhenTheBucketIsFull() {
        TokenBucket bucket = new TokenBucket();
        Limit limit = Limit.of(10, 20);
        long now = -5 * SECOND; // System.nanoTime() may be negative
        long d = 0;
        for (int i = 0; i < 1000; i++) {
            d = bucket.tryTake(now, limit);
            assertThat(Decision.isAllowed(d)).as("request %d at exactly the rate", i).isTrue();
            now += SECOND / 10;
        }
        assertThat(Decision.remaining(d)).isEqualTo(19);
        assertThat(Decision.seconds(d)).as("seconds until full").isEqualTo(1);
        assertThat(bucket.isIdle(now)).isTrue();
    }

    @Test
    void aSlowRateGivesALongRetryAfter() {
        TokenBucket bucket = new TokenBucket();
        Limit limit = Limit.of(0.01, 1); // one request per 100 s
        assertThat(Decision.isAllowed(bucket.tryTake(0, limit))).isTrue();
        long refused = bucket.tryTake(SECOND, limit);
        assertThat(Decision.isAllowed(refused)).isFalse();
        assertThat(Decision.seconds(refused)).isEqualTo(99);
        assertThat(bucket.isIdle(50 * SECOND)).isFalse();
        assertThat(bucket.isIdle(100 * SECOND)).isTrue();
    }

    @Test
    void aLimitNeedsAPositiveRateAndBurst() {
        assertThatThrownBy(() -> Limit.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.of(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.of(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callersHaveSeparateBucketsAndTheMapStaysBoundedWithoutResettingBusyCallers() {
        AtomicLong clock = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(3, clock::get);
        Limit limit = Limit.of(1, 2);
        assertThat(Decision.isAllowed(limiter.take("a", limit))).isTrue();
        assertThat(Decision.isAllowed(limiter.take("a", limit))).isTrue();
        assertThat(Decision.isAllowed(limiter.take("a", limit))).as("a spent its burst").isFalse();
        assertThat(Decision.isAllowed(limiter.take("b", limit))).as("b has its own bucket").isTrue();
        clock.set(10 * SECOND); // b and a are full again: idle, and dropped when the bound is reached
        limiter.take("c", limit);
        limiter.take("c", limit);
        assertThat(limiter.size()).isEqualTo(3);
        limiter.take("d", limit);
        assertThat(limiter.size()).as("idle a and b swept, busy c kept").isEqualTo(2);
        assertThat(Decision.isAllowed(limiter.take("c", limit))).as("c's spent burst survived the sweep").isFalse();
    }
}

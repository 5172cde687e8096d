package io.trustplane.e2e;

import io.trustplane.launcher.Suite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 item 9 with real replicas: two more gate-service processes on the suite's PostgreSQL and Redis, each
 * configured with the same per-agent limit, and one agent's requests sent alternately to both, far above that
 * limit. The two admit together what one limiter would ({@code SharedBudgets}), not twice that.
 * <p>
 * The arithmetic. Rate r = 25/s, burst b = 25 per agent (the replicas' setting; the suite's own gate keeps its
 * default and sees none of this agent's requests). The agent is new, so its shared bucket starts full. Over the
 * window T the test measures around its requests (at least {@link #WINDOW}, 20 s, so r·T ≥ 500 and 10 % of it is
 * ≥ 50), one bucket drained by continuous demand admits b + r·T minus what is left in it at the end (0..b), give or
 * take one sync interval of stale shares (100 ms: r·0.1·2 replicas = 5 requests). Edge effects on top: a replica
 * that had not yet heard from Redis when the first requests came uses its own bucket for that first interval (at
 * most b = 25 more), and requests in flight when T starts or ends move r·T by a request or two. So the ideal lies
 * in [r·T − 5, r·T + b + 5] and the worst edges in [r·T − 7, r·T + 2b + 7]; the asserted band
 * [0.9·r·T, 1.1·r·T + b] holds all of it with ≥ 18 requests to spare on either side. Without sharing the replicas
 * would admit about 2·(r·T + b) ≥ 1050, far above 1.1·r·T + b ≈ 575. No binomial spread: the split between
 * replicas is by request parity, not random, and the bound holds for any split since both draw on one bucket. The
 * refill is lost only while the shared bucket is full, which continuous demand prevents unless the replicas stop
 * syncing for over b/r = 1 s. The offered load (4 clients sending back-to-back) only has to stay above r.
 */
@ExtendWith(E2e.Extension.class)
class RateLimitAcrossReplicasTest {

    private static final int RATE = 25;
    private static final int BURST = 25;
    private static final Duration WINDOW = Duration.ofSeconds(20);
    private static final int CLIENTS = 4;
    /** Requests per replica, by another agent, before the window: enough for the interpreter to hand the path to C1. */
    private static final int WARM_UP = 20;

    private final E2e suite;

    RateLimitAcrossReplicasTest(E2e suite) {
        this.suite = suite;
    }

    @Test
    void oneAgentsRequestsAlternatedOverTwoReplicasAreAdmittedAtTheConfiguredRateNotTwice() throws Exception {
        Map<String, String> limit = Map.of(
                "trustplane.rate-limit.roles.agent.requests-per-second", Integer.toString(RATE),
                "trustplane.rate-limit.roles.agent.burst", Integer.toString(BURST));
        List<Suite.Running> replicas = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            replicas.add(suite.startReplica("gate", limit));
            replicas.add(suite.startReplica("gate", limit));
            String token = suite.agent(unique("replicated-agent"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<HttpRequest> requests = replicas.stream().map(r -> HttpRequest.newBuilder(
                    URI.create(r.url() + "/v1/tool-calls/key")).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).GET().build()).toList();
            // two fresh JVMs: warm each replica's request path (JIT, token verification) with another agent first, so
            // the measured window does not start with a stall in which the agent's full bucket refills for nothing
            String warmer = suite.agent(unique("warm-up-agent"));
            for (Suite.Running replica : replicas) {
                HttpRequest warm = HttpRequest.newBuilder(URI.create(replica.url() + "/v1/tool-calls/key"))
                        .header("Authorization", "Bearer " + warmer).timeout(Duration.ofSeconds(30)).GET().build();
                for (int i = 0; i < WARM_UP; i++) {
                    http.send(warm, HttpResponse.BodyHandlers.discarding());
                }
            }
            AtomicLong admitted = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            long started = System.nanoTime();
            long until = started + WINDOW.toNanos();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (long n = client; System.nanoTime() - until < 0; n++) {
                        int status = http.send(requests.get((int) (n % 2)), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        assertThat(status).as("a request either passes or is rate limited").isIn(200, 429);
                        (status == 200 ? admitted : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(WINDOW.toSeconds() + 120, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double rateTimesWindow = RATE * seconds;
            assertThat(refused.get()).as("the load went above the limit").isPositive();
            assertThat((double) admitted.get()).as("admitted over %.1f s at %d/s, burst %d, by two replicas",
                    seconds, RATE, BURST).isBetween(0.9 * rateTimesWindow, 1.1 * rateTimesWindow + BURST);
        } finally {
            clients.shutdownNow();
            replicas.forEach(suite::stop);
        }
    }
}

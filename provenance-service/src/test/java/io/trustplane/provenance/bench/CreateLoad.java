package io.trustplane.provenance.bench;

import io.trustplane.testing.DevKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load loop for {@code POST /v1/provenance} against the packaged jar (not a test): starts the jar on the
 * machine's PostgreSQL (localhost:5432, user postgres, database trustplane_bench_provenance, recreated) and Redis
 * (localhost:6379) with temporary keys, drives 1, 16 and 64 closed-loop clients for a fixed time each, prints
 * records/s, p50/p99 of create (which returns only once the record is in a signed checkpoint) and the
 * server-side submit-to-integration time, then stops the jar it started.
 * Run: java -cp "target/test-classes:$(cat target/cp.txt)" io.trustplane.provenance.bench.CreateLoad [seconds]
 */
public final class CreateLoad {

    private static final Pattern TIMES = Pattern.compile("\"submittedAt\":\"([^\"]+)\".*\"createdAt\":\"([^\"]+)\"");

    private CreateLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int port = 18082;
        String db = "trustplane_bench_provenance";
        try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + db);
        }
        DevKeys keys = DevKeys.temporary();
        Process app = new ProcessBuilder("java", "-Xmx1g",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/" + db,
                "-Dquarkus.datasource.reactive.url=postgresql://localhost:5432/" + db,
                "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.redis.hosts=redis://localhost:6379",
                "-Dmp.jwt.verify.publickey.location=" + keys.jwtPublicKeyFile().toUri(),
                "-Dtrustplane.log.key-file=" + keys.logSigningKeyFile(),
                "-Dtrustplane.provenance.anchor.group=provenance-bench",
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectOutput(Path.of("target", "bench-app.log").toFile()).redirectErrorStream(true).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            waitUntilUp(http, port);
            System.out.printf("%-8s %10s %10s %10s %10s %14s %14s%n", "clients", "requests", "records/s", "p50 ms",
                    "p99 ms", "integ p50 ms", "integ p99 ms");
            for (int clients : new int[] {1, 16, 64}) {
                run(http, port, keys, clients, 2, false);
                run(http, port, keys, clients, seconds, true);
            }
        } finally {
            app.destroy();
            app.waitFor();
        }
    }

    private static void waitUntilUp(HttpClient http, int port) throws Exception {
        for (int i = 0; i < 120; i++) {
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("service did not become ready; see target/bench-app.log");
    }

    private static void run(HttpClient http, int port, DevKeys keys, int clients, int seconds, boolean print)
            throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> integration = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            String agent = "bench-" + t;
            String token = keys.minter().agent(agent);
            Thread thread = new Thread(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/provenance"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"" + agent
                                    + "\",\"creationType\":\"FRESH\",\"contentHash\":\"sha256:00\",\"metadata\":{\"i\":"
                                    + (i++) + ",\"model\":\"bench\"}}"))
                            .build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - start;
                        if (r.statusCode() != 201) {
                            errors.incrementAndGet();
                            continue;
                        }
                        latencies.add(took);
                        Matcher m = TIMES.matcher(r.body());
                        if (m.find()) {
                            integration.add(Duration.between(Instant.parse(m.group(1)), Instant.parse(m.group(2))).toNanos());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (print) {
            List<Long> l = new ArrayList<>(latencies);
            List<Long> g = new ArrayList<>(integration);
            System.out.printf("%-8d %10d %10.0f %10.1f %10.1f %14.1f %14.1f   errors=%d%n", clients, l.size(),
                    l.size() / (double) seconds, pct(l, 50), pct(l, 99), pct(g, 50), pct(g, 99), errors.get());
        }
    }

    private static double pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(values);
        int i = (int) Math.ceil(p / 100.0 * values.size()) - 1;
        return values.get(Math.max(0, i)) / 1e6;
    }
}

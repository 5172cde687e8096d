package io.trustplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Seed 002's four load shapes against {@code POST /v1/role-gates/evaluate}, shortened to fit one run: smoke
 * (5 connections: every request under 500 ms), load (100: p95 under 100 ms, errors under 1 %), stress (300:
 * degrades gracefully, no errors), spike (10 → 200 → 10: back to the pre-spike p99 within 30 s). Recovery is
 * timed with back-to-back one-second runs at 10 connections after the burst.
 */
final class Shapes {

    private static final String BODY = "{\"agentId\":\"%AGENT%\",\"role\":\"DATA_ANALYST\",\"tier\":\"VERIFIED\","
            + "\"context\":{\"resourceId\":\"dataset_001\",\"action\":\"read\"}}";
    private static final Duration PHASE = Duration.ofSeconds(Long.parseLong(System.getenv()
            .getOrDefault("BENCH_SHAPE_SECONDS", "20")));

    private final Bench bench;
    private final Tools tools;
    private final String url;
    private final String agentsFile;

    Shapes(Bench bench, Tools tools, String gateUrl, String agentsFile) {
        this.bench = bench;
        this.tools = tools;
        this.url = gateUrl + "/v1/role-gates/evaluate";
        this.agentsFile = agentsFile;
    }

    private Measurement wrk(String name, int connections, Duration d) throws IOException, InterruptedException {
        return tools.wrk(name, url, Math.min(2, connections), connections, d, "post_per_agent", List.of(),
                List.of(agentsFile, "/v1/role-gates/evaluate", BODY));
    }

    void run() throws Exception {
        wrk("shape-warmup", 64, Bench.WARMUP); // the JIT first, so the shapes compare load, not warm-up
        List<String> md = new ArrayList<>();
        md.add("## Load shapes (seed 002's smoke, load, stress and spike, on role-gate evaluate)\n");
        md.add("| shape | connections | seconds | ops/s | p50 ms | p95 ms | p99 ms | max ms | errors | seed 002 target | met |");
        md.add("|---|---|---|---|---|---|---|---|---|---|---|");

        Measurement smoke = wrk("shape-smoke", 5, PHASE);
        row(md, "smoke", smoke, "all < 500 ms", smoke.maxMs() < 500 && smoke.errors() == 0);
        Measurement load = wrk("shape-load", 100, PHASE);
        row(md, "load", load, "p95 < 100 ms, errors < 1 %", load.p95Ms() < 100 && load.errorRate() < 0.01);
        Measurement stress = wrk("shape-stress", 300, PHASE);
        row(md, "stress", stress, "graceful degradation", stress.errorRate() < 0.01);

        Measurement before = wrk("shape-spike-before", 10, Duration.ofSeconds(10));
        row(md, "spike: before (10)", before, "", true);
        // the spike: 200 connections on top of the 10 for PHASE seconds
        CompletableFuture<Measurement> background = CompletableFuture.supplyAsync(() -> {
            try {
                return wrk("shape-spike-background", 10, PHASE.plusSeconds(2));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Measurement spike = wrk("shape-spike", 200, PHASE);
        row(md, "spike: burst (200 + 10)", spike, "", spike.errorRate() < 0.01);
        row(md, "spike: the 10 during the burst", background.get(), "", true);
        long t0 = System.nanoTime();
        double bound = Math.max(2 * before.p99Ms(), before.p99Ms() + 5);
        double recovered = -1;
        List<String> windows = new ArrayList<>();
        while ((System.nanoTime() - t0) < Duration.ofSeconds(60).toNanos()) {
            Measurement w = wrk("shape-spike-after", 10, Duration.ofSeconds(1));
            windows.add(String.format(Locale.ROOT, "%.1f", w.p99Ms()));
            if (w.p99Ms() <= bound && w.errors() == 0) {
                recovered = (System.nanoTime() - t0) / 1e9;
                break;
            }
        }
        md.add("");
        md.add(String.format(Locale.ROOT, "Spike recovery: after the burst ended, p99 at 10 connections was back within "
                        + "%.1f ms (2× the pre-spike p99 of %.1f ms, or +5 ms) %s; one-second windows' p99 (ms): %s. "
                        + "Seed 002's target: recovery within 30 s.", bound, before.p99Ms(),
                recovered < 0 ? "**not within 60 s**" : String.format(Locale.ROOT, "after %.1f s", recovered),
                String.join(", ", windows)));
        bench.report().note(String.format(Locale.ROOT, "spike recovery: %s (seed 002 target 30 s)",
                recovered < 0 ? "not within 60 s" : String.format(Locale.ROOT, "%.1f s", recovered)));
        Files.writeString(bench.root().resolve("bench/results/shapes.md"), String.join("\n", md) + "\n");
    }

    private static void row(List<String> md, String shape, Measurement m, String target, boolean met) {
        md.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %,.0f | %.2f | %.2f | %.2f | %.1f | %.3f%% | %s | %s |",
                shape, m.connections(), m.seconds(), m.opsPerSecond(), m.p50Ms(), m.p95Ms(), m.p99Ms(), m.maxMs(),
                100 * m.errorRate(), target.isEmpty() ? "—" : target, target.isEmpty() ? "—" : met ? "yes" : "**no**"));
    }
}

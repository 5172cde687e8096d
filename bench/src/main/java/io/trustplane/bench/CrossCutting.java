package io.trustplane.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.DevKeys;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./trustplane bench costs}: what each cross-cutting piece (OpenTelemetry tracing, Micrometer HTTP
 * metrics, JWT verification, JSON logging, Bean Validation) adds to one request. The bench/costs app is started
 * once per configuration (build-time switches are separate builds, run-time ones -D flags), loaded with wrk
 * like every scenario (warm-up, then the measured run) and compared with the configuration that lacks only that
 * piece. Writes {@code bench/results/costs.json} and the fragment {@code bench/results/costs.md}.
 */
final class CrossCutting {

    /** The sampling ratio proposed as the production default, measured in the "services-defaults" row. */
    static final String RECOMMENDED_RATIO = "0.1";
    /**
     * The services' shared default (common's microprofile-config.properties) that keeps MicroProfile context
     * propagation away from the OpenTelemetry context; the costs app has no JTA, the other context type it names.
     */
    static final String UNPROPAGATED_OTEL = "-Dmp.context.ThreadContext.unchanged=OpenTelemetry";

    private static final String EVALUATE_BODY = "{\"agentId\":\"%AGENT%\",\"role\":\"DATA_ANALYST\",\"tier\":\"VERIFIED\","
            + "\"context\":{\"resourceId\":\"dataset_001\",\"action\":\"read\"}}";
    private static final int TOKEN_AGENTS = 2000;
    /** Measured runs per configuration after its warm-up; the best is kept (other load only ever slows a run). */
    static final int REPEATS = Integer.parseInt(System.getenv().getOrDefault("BENCH_COSTS_REPEATS", "1"));

    /** What wrk sends. */
    enum Request {
        CONSTANT("GET /constant"), TOKEN("GET /constant/jwt, RS256 bearer token of one of 2,000 agents"),
        LOGGED("GET /constant/logged (one INFO line)"), UNVALIDATED("POST /unvalidated (seed 002 evaluate body)"),
        VALIDATED("POST /validated (same body, @Valid)");

        final String label;

        Request(String label) {
            this.label = label;
        }
    }

    /** One app configuration under load, and the configuration it differs from by one piece. */
    record Variant(String name, String build, List<String> flags, Request request, String baseline, String piece) {
    }

    /** A variant's result (null measurement when it failed). */
    record Result(Variant variant, Measurement m, List<Double> runsOpsPerSecond, long otlpExports, long otlpBytes,
            String error) {
    }

    private final Bench bench;
    private final Path root;
    private final Tools tools;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    CrossCutting(Bench bench, Path root, Tools tools) {
        this.bench = bench;
        this.root = root;
        this.tools = tools;
        this.work = root.resolve("bench/target/work");
    }

    static List<Variant> variants() {
        String ratio = "-Dquarkus.otel.traces.sampler.arg=";
        return List.of(
                new Variant("ceiling", "ceiling", List.of(), Request.CONSTANT, null,
                        "bare Quarkus REST + Jackson (bench/ceiling)"),
                new Variant("extensions", "plain", List.of(), Request.CONSTANT, "ceiling",
                        "JWT, validation, Micrometer, JSON logging, OTel on the class path; none on this request"),
                new Variant("http-metrics", "metrics", List.of(), Request.CONSTANT, "extensions",
                        "Micrometer HTTP server metrics (timer per method/uri/status)"),
                new Variant("otel-ratio-1", "otel", List.of(ratio + "1.0"), Request.CONSTANT, "extensions",
                        "OpenTelemetry tracing, every request sampled and exported (OTLP/HTTP)"),
                new Variant("otel-ratio-0.1", "otel", List.of(ratio + "0.1"), Request.CONSTANT, "extensions",
                        "OpenTelemetry tracing, parent-based ratio 0.1"),
                new Variant("otel-ratio-0.01", "otel", List.of(ratio + "0.01"), Request.CONSTANT, "extensions",
                        "OpenTelemetry tracing, parent-based ratio 0.01"),
                new Variant("otel-sdk-disabled", "otel", List.of("-Dquarkus.otel.sdk.disabled=true"), Request.CONSTANT,
                        "extensions", "OpenTelemetry built in, SDK switched off at run time"),
                new Variant("jwt", "plain", List.of(), Request.TOKEN, "extensions",
                        "SmallRye JWT: RS256 signature + claims check per request, @RolesAllowed"),
                new Variant("jwt-cached", "plain", List.of("-Dtrustplane.auth.token-cache.enabled=true"), Request.TOKEN, "extensions",
                        "JWT with a cache of verified tokens (key: whole token, until its exp)"),
                new Variant("jwt-otel-ratio-0.1", "otel", List.of(ratio + RECOMMENDED_RATIO), Request.TOKEN, "jwt",
                        "OpenTelemetry at ratio " + RECOMMENDED_RATIO + " on the authenticated request"),
                new Variant("access-log", "plain", List.of("-Dquarkus.http.access-log.enabled=true"), Request.CONSTANT,
                        "extensions", "HTTP access log, one text line per request (to a file)"),
                new Variant("log-text", "plain", List.of(), Request.LOGGED, "extensions",
                        "one INFO line per request, text console format (to a file)"),
                new Variant("log-json", "plain", List.of("-Dquarkus.log.console.json.enabled=true"), Request.LOGGED,
                        "log-text", "the same line as JSON (quarkus-logging-json)"),
                new Variant("unvalidated", "plain", List.of(), Request.UNVALIDATED, "extensions",
                        "POST with a JSON body read into a record (Jackson)"),
                new Variant("validated", "plain", List.of(), Request.VALIDATED, "unvalidated",
                        "Bean Validation of that record (@NotBlank, @Pattern, @Size, nested @Valid)"),
                new Variant("services-before", "metrics", List.of(), Request.TOKEN, "ceiling",
                        "the services before these defaults: HTTP metrics + JWT verified on every request, no tracing"),
                new Variant("services-defaults", "full", List.of("-Dtrustplane.auth.token-cache.enabled=true", ratio + RECOMMENDED_RATIO,
                        "-Dquarkus.log.console.json.enabled=true", UNPROPAGATED_OTEL), Request.TOKEN, "services-before",
                        "the services' production defaults: HTTP metrics + cached JWT + OTel at ratio "
                                + RECOMMENDED_RATIO + " (exported) + JSON logs, the trace context left to Vert.x"),
                new Variant("otel-context-propagated", "full", List.of("-Dtrustplane.auth.token-cache.enabled=true",
                        ratio + RECOMMENDED_RATIO, "-Dquarkus.log.console.json.enabled=true"), Request.TOKEN,
                        "services-defaults", "the same defaults with the OpenTelemetry context also propagated around "
                                + "every Mutiny callback (MicroProfile context propagation, the defaults before issue 25's round 4)"));
    }

    /**
     * The configurations to measure: all, or those named in {@code BENCH_COSTS_ONLY} (comma-separated) plus what
     * they are compared with, for a quick look at a few rows (written to bench/target/work, not bench/results).
     */
    static List<Variant> selected(String only) {
        if (only == null || only.isBlank()) {
            return variants();
        }
        Set<String> names = new HashSet<>(List.of(only.split(",")));
        List<Variant> all = variants();
        for (int i = all.size() - 1; i >= 0; i--) { // a baseline comes before its rows: one pass backwards adds chains
            if (names.contains(all.get(i).name()) && all.get(i).baseline() != null) {
                names.add(all.get(i).baseline());
            }
        }
        return all.stream().filter(v -> names.contains(v.name())).toList();
    }

    void run() throws Exception {
        String only = System.getenv("BENCH_COSTS_ONLY");
        Map<String, Object> machine = Host.facts();
        copyScript("get_per_agent");
        DevKeys keys = DevKeys.loadOrCreate(work.resolve("costs-keys")); // under target/: never committed
        TokenMinter minter = keys.minter();
        List<String> lines = new ArrayList<>();
        for (String id : Bench.agentIds().subList(0, TOKEN_AGENTS)) {
            lines.add(id + "\t" + minter.mint(id, Duration.ofHours(4), "agent"));
        }
        Path agents = bench.writeLines("costs-agents", lines);
        Path constantPaths = bench.writeLines("costs-constant", List.of("/constant"));
        List<Result> results = new ArrayList<>();
        try (OtlpSink sink = new OtlpSink()) {
            for (Variant v : selected(only)) {
                results.add(measure(v, keys, agents, constantPaths, sink));
            }
        }
        machine.put("loadAverageAtEnd", Host.loadAverage());
        write(results, machine, only == null || only.isBlank() ? root.resolve("bench/results") : work, only != null && !only.isBlank());
    }

    private Result measure(Variant v, DevKeys keys, Path agents, Path constantPaths, OtlpSink sink) {
        int port = Infrastructure.freePort();
        Path log = work.resolve("costs-" + v.name() + ".log");
        Process app = null;
        try {
            app = start(v, port, keys, sink.endpoint(), log);
            long exports0 = sink.exports();
            long bytes0 = sink.bytes();
            String base = "http://127.0.0.1:" + port;
            Bench.Load load = d -> switch (v.request()) {
                case CONSTANT -> tools.wrk(v.name(), base + "/constant", 2, Bench.CONNECTIONS, d, "get_paths",
                        List.of(), List.of("none", constantPaths.toString()));
                case LOGGED -> tools.wrk(v.name(), base + "/constant/logged", 2, Bench.CONNECTIONS, d, "get_paths",
                        List.of(), List.of("none", bench.writeLines("costs-logged", List.of("/constant/logged")).toString()));
                case TOKEN -> tools.wrk(v.name(), base + "/constant/jwt", 2, Bench.CONNECTIONS, d, "get_per_agent",
                        List.of(), List.of(agents.toString(), "/constant/jwt"));
                case UNVALIDATED -> tools.wrk(v.name(), base + "/unvalidated", 2, Bench.CONNECTIONS, d,
                        "post_per_agent", List.of(), List.of(agents.toString(), "/unvalidated", EVALUATE_BODY));
                case VALIDATED -> tools.wrk(v.name(), base + "/validated", 2, Bench.CONNECTIONS, d,
                        "post_per_agent", List.of(), List.of(agents.toString(), "/validated", EVALUATE_BODY));
            };
            Measurement m = bench.measure("costs " + v.name(), load);
            List<Double> runs = new ArrayList<>(List.of(m.opsPerSecond()));
            for (int i = 2; i <= REPEATS; i++) {
                Measurement again = load.run(Bench.DURATION);
                System.out.printf("costs %-22s repeat %d: %,10.0f ops/s%n", v.name(), i, again.opsPerSecond());
                runs.add(again.opsPerSecond());
                m = again.opsPerSecond() > m.opsPerSecond() ? again : m;
            }
            return new Result(v, m, runs, sink.exports() - exports0, sink.bytes() - bytes0, null);
        } catch (Exception e) {
            System.out.println("costs " + v.name() + " failed: " + e.getMessage() + " (log: " + log + ")");
            return new Result(v, null, List.of(), 0, 0, String.valueOf(e.getMessage()).lines().findFirst().orElse("failed"));
        } finally {
            Suite.stop(app, Duration.ofSeconds(20));
            if (v.request() == Request.LOGGED || v.name().equals("access-log")) {
                truncate(log); // a line per request: hundreds of MB otherwise
            }
        }
    }

    private Process start(Variant v, int port, DevKeys keys, String otlpEndpoint, Path log) throws IOException, InterruptedException {
        Path jar = v.build().equals("ceiling") ? root.resolve("bench/ceiling/target/quarkus-app/quarkus-run.jar")
                : root.resolve("bench/costs/target/costs-" + v.build() + "/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(root.relativize(jar) + " is missing; run ./mvnw -pl bench/costs -am package -DskipTests");
        }
        List<String> cmd = new ArrayList<>(List.of(Suite.javaBinary(), "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"));
        if (!v.build().equals("ceiling")) {
            cmd.add("-Dmp.jwt.verify.publickey.location=" + keys.jwtPublicKeyFile().toUri());
            cmd.add("-Dquarkus.otel.exporter.otlp.traces.endpoint=" + otlpEndpoint);
        }
        cmd.addAll(v.flags());
        cmd.add("-jar");
        cmd.add(jar.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!answers("http://127.0.0.1:" + port + "/constant")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                Suite.stop(p, Duration.ofSeconds(20));
                throw new IOException(v.name() + " did not start; see " + log);
            }
            Thread.sleep(100);
        }
        return p;
    }

    private boolean answers(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void truncate(Path log) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(Math.min(f.length(), 64 * 1024));
        } catch (IOException ignored) {
            // only disk space is at stake
        }
    }

    private void copyScript(String name) throws IOException {
        try (InputStream in = CrossCutting.class.getResourceAsStream("/lua/" + name + ".lua")) {
            Files.write(work.resolve(name + ".lua"), in.readAllBytes());
        }
    }

    // ---------------------------------------------------------------------------------------------- report

    private void write(List<Result> results, Map<String, Object> machine, Path dir, boolean partial) throws IOException {
        Map<String, Result> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.variant().name(), r));
        int cores = Runtime.getRuntime().availableProcessors();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            Variant v = r.variant();
            row.put("name", v.name());
            row.put("piece", v.piece());
            row.put("build", v.build());
            row.put("flags", v.flags());
            row.put("request", v.request().label);
            row.put("comparedWith", v.baseline());
            if (r.m() != null) {
                row.put("measurement", r.m().toMap());
                row.put("runsOpsPerSecond", r.runsOpsPerSecond().stream().map(Math::round).toList());
                Result base = v.baseline() == null ? null : byName.get(v.baseline());
                if (base != null && base.m() != null) {
                    row.put("deltaOpsPerSecond", Math.round(r.m().opsPerSecond() - base.m().opsPerSecond()));
                    row.put("deltaPercent", Measurement.round(100 * (r.m().opsPerSecond() / base.m().opsPerSecond() - 1)));
                    row.put("cpuMicrosPerRequest", Measurement.round(cpuMicros(r.m(), base.m(), cores)));
                }
            } else {
                row.put("error", r.error());
            }
            if (r.otlpExports() > 0) {
                row.put("otlpExportRequests", r.otlpExports());
                row.put("otlpExportBytes", r.otlpBytes());
            }
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", machine);
        out.put("method", Map.of("tool", "wrk", "connections", Bench.CONNECTIONS, "warmupSeconds", Bench.WARMUP.toSeconds(),
                "seconds", Bench.DURATION.toSeconds(), "repeatsBestOf", REPEATS, "cpuMicrosPerRequest",
                "(1/ops_with - 1/ops_without) x " + cores + " cores x 1e6: the CPU time the piece adds to a request "
                        + "while the machine is saturated"));
        out.put("variants", rows);
        String name = partial ? "costs-partial" : "costs";
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(name + ".json").toFile(), out);
        Files.writeString(dir.resolve(name + ".md"), markdown(results, byName, machine, cores));
        System.out.println("wrote " + root.relativize(dir.resolve(name + ".json")) + " and " + name + ".md");
    }

    /** Extra CPU time per request of {@code with} over {@code without}, both runs saturating every core. */
    static double cpuMicros(Measurement with, Measurement without, int cores) {
        return (1 / with.opsPerSecond() - 1 / without.opsPerSecond()) * cores * 1e6;
    }

    private static String markdown(List<Result> results, Map<String, Result> byName, Map<String, Object> machine, int cores) {
        StringBuilder md = new StringBuilder();
        md.append("## What each cross-cutting piece costs\n\n");
        md.append("Generated by `./trustplane bench costs` on ").append(machine.get("date")).append(" (")
                .append(cores).append(" cores, ").append(machine.get("cpuModel")).append("; load average ")
                .append(machine.get("loadAverageAtStart")).append(" at the start, ").append(machine.get("loadAverageAtEnd"))
                .append(" at the end; CPUs ").append(machine.get("cpuBusyAtStart")).append("% busy just before it). The `bench/costs` app serves the HTTP ceiling's constant JSON with the ")
                .append("services' extensions; build-time switches are four builds (`target/costs-{plain,metrics,otel,full}`), ")
                .append("run-time ones are `-D` flags. wrk: ").append(Bench.CONNECTIONS).append(" connections, ")
                .append(Bench.WARMUP.toSeconds()).append(" s warm-up, ").append(Bench.DURATION.toSeconds())
                .append(" s measured").append(REPEATS > 1 ? " (best of " + REPEATS + " runs)" : "")
                .append(", wrk on the same cores. Each row differs from the row it is compared with by ")
                .append("one piece; **µs CPU/request** = (1/ops − 1/ops of that row) × ").append(cores)
                .append(" cores: what the piece adds to every request when the machine is saturated. Spans are exported ")
                .append("over OTLP/HTTP to a sink in the bench process (a collector's share of the work is not counted).\n\n");
        md.append("| configuration | what differs | build | request | req/s | p50 ms | p99 ms | errors | vs | Δ req/s | µs CPU/request |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Variant v = r.variant();
            md.append("| ").append(v.name()).append(" | ").append(v.piece());
            if (!v.flags().isEmpty()) {
                md.append(" (`").append(String.join(" ", v.flags())).append("`)");
            }
            md.append(" | ").append(v.build()).append(" | ").append(v.request().label).append(" | ");
            if (r.m() == null) {
                md.append("failed: ").append(r.error()).append(" | | | | | | |\n");
                continue;
            }
            Measurement m = r.m();
            md.append(fmt(m.opsPerSecond(), 0)).append(" | ").append(fmt(m.p50Ms(), 2)).append(" | ")
                    .append(fmt(m.p99Ms(), 2)).append(" | ").append(m.errors()).append(" | ");
            Result base = v.baseline() == null ? null : byName.get(v.baseline());
            if (base == null || base.m() == null) {
                md.append("— | — | — |\n");
            } else {
                double delta = m.opsPerSecond() - base.m().opsPerSecond();
                md.append(v.baseline()).append(" | ").append(delta > 0 ? "+" : "").append(fmt(delta, 0))
                        .append(" (").append(delta > 0 ? "+" : "")
                        .append(fmt(100 * (m.opsPerSecond() / base.m().opsPerSecond() - 1), 0)).append("%) | ")
                        .append(fmt(cpuMicros(m, base.m(), cores), 1)).append(" |\n");
            }
        }
        md.append(noise(results, machine, cores));
        results.stream().filter(r -> r.otlpExports() > 0).forEach(r -> md.append("\n").append(r.variant().name())
                .append(": ").append(r.otlpExports()).append(" OTLP export requests, ")
                .append(fmt(r.otlpBytes() / 1_048_576.0, 1)).append(" MiB of spans received by the sink."));
        md.append("\n\n").append(recommendation(byName, cores));
        return md.toString();
    }

    /** How far apart consecutive runs of one configuration were, and whether other load was on the machine. */
    private static String noise(List<Result> results, Map<String, Object> machine, int cores) {
        StringBuilder md = new StringBuilder();
        List<Double> spreads = results.stream().filter(r -> r.runsOpsPerSecond().size() > 1).map(r -> {
            double max = r.runsOpsPerSecond().stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double min = r.runsOpsPerSecond().stream().mapToDouble(Double::doubleValue).min().orElse(0);
            return 100 * (max - min) / max;
        }).sorted().toList();
        if (!spreads.isEmpty()) {
            md.append("\nRun-to-run spread (consecutive measured runs of the same configuration): median ")
                    .append(fmt(spreads.get(spreads.size() / 2), 0)).append("%, largest ")
                    .append(fmt(spreads.get(spreads.size() - 1), 0)).append("%; differences smaller than that are noise.");
        }
        if (((Number) machine.get("cpuBusyAtStart")).longValue() > 25) {
            md.append("\n**The machine was busy with other work when this run started (")
                    .append(machine.get("cpuBusyAtStart")).append("% of its ").append(cores)
                    .append(" cores in use): the figures are indicative, rerun `./trustplane bench costs` on a quiet machine.**");
        }
        return md.append('\n').toString();
    }

    /** The production defaults this run supports, with its own figures. */
    private static String recommendation(Map<String, Result> r, int cores) {
        String otel1 = cost(r, "otel-ratio-1", cores);
        String otel01 = cost(r, "otel-ratio-0.1", cores);
        String otel001 = cost(r, "otel-ratio-0.01", cores);
        String sdkOff = cost(r, "otel-sdk-disabled", cores);
        return "### Production defaults, from these figures\n\n"
                + "- **OpenTelemetry tracing**: " + otel1 + " per request when every request is traced, " + otel01
                + " at ratio 0.1, " + otel001 + " at 0.01; switching the SDK off at run time leaves " + sdkOff
                + " (the instrumentation stays in the build); on an authenticated request, ratio " + RECOMMENDED_RATIO
                + " adds " + cost(r, "jwt-otel-ratio-0.1", cores) + ". So: keep `quarkus-opentelemetry` in the build, with "
                + "`quarkus.otel.traces.sampler=parentbased_traceidratio` (build-time) and "
                + "`quarkus.otel.traces.sampler.arg=" + RECOMMENDED_RATIO + "` (run time, "
                + "`QUARKUS_OTEL_TRACES_SAMPLER_ARG`): a caller's sampled trace is always continued, 1 in "
                + Math.round(1 / Double.parseDouble(RECOMMENDED_RATIO)) + " new traces is recorded. Where the last "
                + "microseconds matter, build with `-Dquarkus.otel.enabled=false` (build-time) rather than relying on "
                + "`quarkus.otel.sdk.disabled`.\n"
                + "- **Micrometer HTTP server metrics**: " + cost(r, "http-metrics", cores) + " per request. Keep them "
                + "on (request rate, latency and errors per route are what the alerts and the HPA use); routes are "
                + "templated (`/v1/leases/{id}`), `/q/*` is ignored, and `quarkus.micrometer.binder.http-server.max-uri-tags` "
                + "(run time, default 100) caps the cardinality if something unexpected gets through.\n"
                + "- **JWT verification**: " + cost(r, "jwt", cores) + " per request (RS256 signature); a cache of "
                + "verified tokens brings that to " + cost(r, "jwt-cached", cores) + ". The cache is an "
                + "`@Alternative @Priority(1)` `JWTParser` bean (`CachingJwtParser` in the `token-cache` module: on in every service through common, and the very "
                + "class the costs app measures) that SmallRye JWT's `MpJwtValidator` injects; its price is that a "
                + "verified token stays accepted until its own `exp`, at most 5 minutes "
                + "(`trustplane.auth.token-cache.max-age`), even if its key is rotated out.\n"
                + "- **JSON logging**: " + cost(r, "log-text", cores) + " per INFO line as text, "
                + cost(r, "log-json", cores) + " more as JSON. Nothing is logged per request on the services' hot "
                + "paths, so JSON logs cost nothing there: keep them on in production. An HTTP access log costs "
                + cost(r, "access-log", cores) + " per request: leave it off (the HTTP metrics and traces already "
                + "cover who called what) and turn it on only while investigating.\n"
                + "- **Bean Validation**: " + cost(r, "validated", cores) + " per request for seed 002's evaluate "
                + "body (JSON reading itself: " + cost(r, "unvalidated", cores) + " over a GET). Keep it.\n"
                + "- Together: before these defaults (HTTP metrics + a JWT verified on every request) the services' "
                + "stack reached " + share(r, "services-before", "ceiling") + " of the bare ceiling; with the "
                + "production defaults they now ship (cached JWT, tracing at " + RECOMMENDED_RATIO + ", JSON logs) "
                + share(r, "services-defaults", "ceiling") + " (" + cost(r, "services-defaults", cores)
                + " vs before).\n";
    }

    private static String cost(Map<String, Result> r, String name, int cores) {
        Result x = r.get(name);
        Result base = x == null || x.variant().baseline() == null ? null : r.get(x.variant().baseline());
        if (x == null || x.m() == null || base == null || base.m() == null) {
            return "(not measured)";
        }
        return fmt(cpuMicros(x.m(), base.m(), cores), 1) + " µs CPU ("
                + fmt(100 * (x.m().opsPerSecond() / base.m().opsPerSecond() - 1), 0) + "% req/s vs " + base.variant().name() + ")";
    }

    private static String share(Map<String, Result> r, String name, String of) {
        Result x = r.get(name);
        Result base = r.get(of);
        if (x == null || x.m() == null || base == null || base.m() == null) {
            return "(not measured)";
        }
        return fmt(100 * x.m().opsPerSecond() / base.m().opsPerSecond(), 0) + "% (" + fmt(x.m().opsPerSecond(), 0)
                + " req/s)";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}

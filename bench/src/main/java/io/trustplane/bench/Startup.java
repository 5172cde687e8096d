package io.trustplane.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.DevKeys;
import io.trustplane.testing.Infrastructure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./trustplane bench startup}: for each service's packaged jar, started exactly as the launcher's
 * {@link Suite} starts it (against embedded PostgreSQL and Redis), the time from process start to
 * {@code /q/health/ready} = 200, Quarkus' own "started in", resident memory when idle after ready and under a
 * short wrk load of {@code GET /v1/whoami}; on the default JVM, on JDK 25, and on JDK 25 with an AOT cache
 * (JEP 483/514) trained by one run of the same load. Medians of {@code BENCH_STARTUP_RUNS} (3) runs. Writes
 * {@code bench/results/startup.json} and the fragment {@code bench/results/startup.md}.
 */
final class Startup {

    static final int RUNS = Integer.parseInt(System.getenv().getOrDefault("BENCH_STARTUP_RUNS", "3"));
    static final Duration LOAD = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_STARTUP_LOAD_SECONDS", "10")));
    /** Idle time after ready before the idle RSS is read: the scheduler and pools have started by then. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    static final String JDK25_HOME = System.getenv().getOrDefault("BENCH_JDK25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    /** A JVM and its extra flags. */
    record Jvm(String key, String label, String java, boolean aot) {
    }

    /** One start of one service. */
    record Run(long readyMs, double startedInS, long rssIdleKiB, long rssLoadKiB, double loadOpsPerSecond) {
    }

    /** Every run of one service on one JVM, or why there were none. */
    record Series(ServiceSpec spec, Jvm jvm, List<Run> runs, Map<String, Object> extra, String error) {
    }

    private final Path root;
    private final Tools tools;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    Startup(Path root, Tools tools) {
        this.root = root;
        this.tools = tools;
        this.work = root.resolve("bench/target/work");
    }

    /**
     * The services measured: {@code BENCH_STARTUP_SERVICES} (short names, comma-separated, e.g. {@code gate,telemetry})
     * or all four.
     */
    static List<ServiceSpec> services() {
        String only = System.getenv().getOrDefault("BENCH_STARTUP_SERVICES", "");
        if (only.isBlank()) {
            return ServiceSpec.ALL;
        }
        List<String> names = List.of(only.split(","));
        return ServiceSpec.ALL.stream().filter(s -> names.contains(s.shortName())).toList();
    }

    void run() throws Exception {
        Map<String, Object> machine = Host.facts();
        // another revision's jars (bench/ab/run's worktrees) when BENCH_JARS_ROOT names them
        Path jars = Bench.pathFromEnv(Bench.JARS_ROOT_ENV, root);
        machine.put("jars", jars.toString());
        for (ServiceSpec spec : services()) {
            if (!Files.isRegularFile(spec.jar(jars))) {
                throw new IOException(spec.name() + " is not built; run ./mvnw -DskipTests package");
            }
        }
        List<Jvm> jvms = new ArrayList<>();
        jvms.add(new Jvm("default", "default JVM: " + Host.javaVersion(Suite.javaBinary()), Suite.javaBinary(), false));
        String jdk25 = Path.of(JDK25_HOME, "bin", "java").toString();
        boolean has25 = Files.isExecutable(Path.of(jdk25));
        if (has25) {
            jvms.add(new Jvm("jdk25", "JDK 25: " + Host.javaVersion(jdk25), jdk25, false));
            jvms.add(new Jvm("jdk25-aot", "JDK 25 + AOT cache (-XX:AOTCache, AOTMode=on)", jdk25, true));
        } else {
            System.out.println("startup: no JDK 25 at " + JDK25_HOME + " (set BENCH_JDK25_HOME); measuring the default JVM only");
        }

        Path state = Files.createTempDirectory("trustplane-startup");
        Files.createDirectories(work.resolve("aot"));
        DevKeys keys = DevKeys.loadOrCreate(state.resolve("keys"));
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        OtlpSink traces = new OtlpSink(); // production defaults include tracing: its start-up and memory count
        Suite.Config config = new Suite.Config(jars, state, ports, false, Bench.withTracing(traces), Duration.ofSeconds(240));
        String serviceToken = keys.minter().mint("trustplane-suite", Duration.ofDays(1), "service");
        Path whoami = work.resolve("startup-whoami.txt");
        Files.write(whoami, List.of("/v1/whoami"));
        String agentToken = keys.minter().mint("agent-00001", Duration.ofHours(4), "agent");

        List<Series> all = new ArrayList<>();
        Map<String, Object> firstStarts = new LinkedHashMap<>();
        try (traces; Infrastructure infra = Infrastructure.start(new Infrastructure.Options(false, 200, null, 0, 0), System.getenv())) {
            Starter starter = new Starter(config, infra, keys, serviceToken, agentToken, whoami);
            for (ServiceSpec spec : services()) {
                infra.createDatabase(spec.database());
                // untimed for the table: the first start migrates the empty database and warms the page cache
                Run first = starter.once(spec, jvms.get(0), List.of(), "first");
                firstStarts.put(spec.shortName(), first.readyMs());
                for (Jvm jvm : jvms) {
                    all.add(series(starter, spec, jvm));
                }
            }
        } finally {
            deleteTree(state);
        }
        machine.put("loadAverageAtEnd", Host.loadAverage());
        write(all, firstStarts, machine);
    }

    private Series series(Starter starter, ServiceSpec spec, Jvm jvm) {
        Map<String, Object> extra = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        try {
            if (jvm.aot()) {
                Path cache = work.resolve("aot").resolve(spec.shortName() + ".aot");
                Files.deleteIfExists(cache);
                long t0 = System.nanoTime();
                Run training = starter.once(spec, jvm, List.of("-XX:AOTCacheOutput=" + cache), "aot-training");
                if (!Files.isRegularFile(cache)) {
                    throw new IOException("the training run wrote no AOT cache " + cache);
                }
                extra.put("trainingRunSeconds", Measurement.round((System.nanoTime() - t0) / 1e9));
                extra.put("trainingReadyMs", training.readyMs());
                extra.put("cacheMiB", Measurement.round(Files.size(cache) / 1_048_576.0));
                flags.add("-XX:AOTCache=" + cache);
                flags.add("-XX:AOTMode=on"); // an unusable cache fails the start instead of being ignored
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 1; i <= RUNS; i++) {
                runs.add(starter.once(spec, jvm, flags, Integer.toString(i)));
            }
            return new Series(spec, jvm, runs, extra, null);
        } catch (Exception e) {
            System.out.println("startup " + spec.shortName() + " " + jvm.key() + " failed: " + e.getMessage());
            return new Series(spec, jvm, List.of(), extra, String.valueOf(e.getMessage()).lines().findFirst().orElse("failed"));
        }
    }

    /** Starts, measures and stops one service. */
    private final class Starter {
        private final Suite.Config config;
        private final Infrastructure infra;
        private final DevKeys keys;
        private final String serviceToken;
        private final String agentToken;
        private final Path whoami;

        Starter(Suite.Config config, Infrastructure infra, DevKeys keys, String serviceToken, String agentToken, Path whoami) {
            this.config = config;
            this.infra = infra;
            this.keys = keys;
            this.serviceToken = serviceToken;
            this.agentToken = agentToken;
            this.whoami = whoami;
        }

        Run once(ServiceSpec spec, Jvm jvm, List<String> flags, String label) throws Exception {
            Path log = work.resolve("startup-" + spec.shortName() + "-" + jvm.key() + "-" + label + ".log");
            long t0 = System.nanoTime();
            Suite.Running r = Suite.launch(config, spec, infra, keys, serviceToken, log, jvm.java(), flags);
            try {
                awaitReady(r);
                long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                Thread.sleep(SETTLE.toMillis()); // idle on purpose: the RSS of a started, untouched service
                long idle = Host.rssKiB(r.process().pid());
                AtomicLong peak = new AtomicLong(idle);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                Measurement load;
                try {
                    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(Host.rssKiB(r.process().pid()), Math::max),
                            0, 200, TimeUnit.MILLISECONDS);
                    load = tools.wrk("startup-" + spec.shortName(), r.url(), 2, Bench.CONNECTIONS, LOAD, "get_paths",
                            List.of(), List.of(agentToken, whoami.toString()));
                } finally {
                    sampler.shutdownNow();
                }
                Run run = new Run(readyMs, startedIn(log), idle, peak.get(), load.opsPerSecond());
                System.out.printf("startup %-10s %-9s %-12s ready %5d ms  started in %5.2f s  RSS idle %4d MiB  load %4d MiB  %,7.0f req/s (%d errors)%n",
                        spec.shortName(), jvm.key(), label, run.readyMs(), run.startedInS(), run.rssIdleKiB() / 1024,
                        run.rssLoadKiB() / 1024, run.loadOpsPerSecond(), load.errors());
                return run;
            } finally {
                // SIGTERM with a long grace: a training run writes its AOT cache at exit, which takes a while
                Suite.stop(r.process(), Duration.ofSeconds(180));
            }
        }

        private void awaitReady(Suite.Running r) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + config.readyTimeout().toNanos();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(r.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build();
            while (true) {
                if (!r.process().isAlive()) {
                    throw new IOException(r.spec().name() + " exited with " + r.process().exitValue() + "; see " + r.log());
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(r.spec().name() + " not ready after " + config.readyTimeout().toSeconds() + " s; see " + r.log());
                }
                Thread.sleep(20);
            }
        }
    }

    /** Quarkus' own "started in X.XXXs" (printed before ready is answered), or -1. */
    private static double startedIn(Path log) throws IOException {
        Matcher m = STARTED_IN.matcher(Files.readString(log));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory
        }
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ---------------------------------------------------------------------------------------------- report

    private void write(List<Series> all, Map<String, Object> firstStarts, Map<String, Object> machine) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Series s : all) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("service", s.spec().name());
            row.put("jvm", s.jvm().key());
            row.put("jvmLabel", s.jvm().label());
            if (s.error() != null) {
                row.put("error", s.error());
            } else {
                row.put("medianReadyMs", Math.round(median(s.runs(), Run::readyMs)));
                row.put("medianStartedInS", Measurement.round(median(s.runs(), Run::startedInS)));
                row.put("medianRssIdleMiB", Math.round(median(s.runs(), Run::rssIdleKiB) / 1024));
                row.put("medianRssLoadMiB", Math.round(median(s.runs(), Run::rssLoadKiB) / 1024));
                row.put("medianLoadOpsPerSecond", Math.round(median(s.runs(), Run::loadOpsPerSecond)));
                row.put("runs", s.runs());
            }
            row.putAll(s.extra());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", machine);
        out.put("method", Map.of("runs", RUNS, "loadSeconds", LOAD.toSeconds(), "connections", Bench.CONNECTIONS,
                "settleSeconds", SETTLE.toSeconds(), "jvmFlags", "as launcher Suite: -Xms64m -XX:+ExitOnOutOfMemoryError",
                "load", "wrk GET /v1/whoami with one agent token"));
        out.put("firstStartReadyMs", firstStarts);
        out.put("series", rows);
        Path results = Files.createDirectories(Objects.requireNonNullElse(
                Bench.pathFromEnv(Bench.RESULTS_DIR_ENV, null), root.resolve("bench/results")));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("startup.json").toFile(), out);
        Files.writeString(results.resolve("startup.md"), markdown(all, firstStarts, machine));
        System.out.println("wrote " + results.resolve("startup.json") + " and startup.md");
    }

    private static String markdown(List<Series> all, Map<String, Object> firstStarts, Map<String, Object> machine) {
        StringBuilder md = new StringBuilder();
        md.append("## Startup time and memory per service\n\n");
        md.append("Generated by `./trustplane bench startup` on ").append(machine.get("date")).append(" (")
                .append(machine.get("cpus")).append(" cores, ").append(machine.get("cpuModel")).append("; load average ")
                .append(machine.get("loadAverageAtStart")).append(" at the start, ").append(machine.get("loadAverageAtEnd"))
                .append(" at the end; CPUs ").append(machine.get("cpuBusyAtStart")).append("% busy just before it). Each service's packaged jar is started alone, exactly as `./trustplane up` starts it ")
                .append("(`-Xms64m -XX:+ExitOnOutOfMemoryError`, no `-Xmx`: the JVM's default heap limit), against embedded ")
                .append("PostgreSQL 17 and Redis on loopback with its schema already migrated. **ready** = process start to ")
                .append("`/q/health/ready` answering 200 (polled every 20 ms); **started in** = Quarkus' own log line; ")
                .append("**RSS idle** = `VmRSS` ").append(SETTLE.toSeconds()).append(" s after ready; **RSS under load** = ")
                .append("highest `VmRSS` (sampled every 200 ms) during ").append(LOAD.toSeconds()).append(" s of wrk, ")
                .append(Bench.CONNECTIONS).append(" connections, `GET /v1/whoami` (JWT verified per request); without ")
                .append("`-Xmx` the heap grows with the allocation rate, so it follows the req/s served as much as the JVM. Medians of ")
                .append(RUNS).append(" runs. The AOT cache (JEP 483/514) is trained by one start with ")
                .append("`-XX:AOTCacheOutput` that serves the same load and is stopped with SIGTERM; the measured runs use ")
                .append("`-XX:AOTCache` with `-XX:AOTMode=on` (a cache the JVM cannot use fails the start).\n\n");
        md.append("| service | JVM | ready ms | started in s | RSS idle MiB | RSS under load MiB | whoami req/s | AOT cache |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Series s : all) {
            md.append("| ").append(s.spec().name()).append(" | ").append(s.jvm().label()).append(" | ");
            if (s.error() != null) {
                md.append("failed: ").append(s.error()).append(" | | | | | |\n");
                continue;
            }
            md.append(fmt(median(s.runs(), Run::readyMs), 0)).append(" | ")
                    .append(fmt(median(s.runs(), Run::startedInS), 2)).append(" | ")
                    .append(fmt(median(s.runs(), Run::rssIdleKiB) / 1024, 0)).append(" | ")
                    .append(fmt(median(s.runs(), Run::rssLoadKiB) / 1024, 0)).append(" | ")
                    .append(fmt(median(s.runs(), Run::loadOpsPerSecond), 0)).append(" | ")
                    .append(s.extra().containsKey("cacheMiB") ? s.extra().get("cacheMiB") + " MiB, trained in "
                            + s.extra().get("trainingRunSeconds") + " s" : "—")
                    .append(" |\n");
        }
        if (((Number) machine.get("cpuBusyAtStart")).longValue() > 25) {
            md.append("\n**The machine was busy with other work when this run started (")
                    .append(machine.get("cpuBusyAtStart")).append("% of its cores in use): the times are inflated and ")
                    .append("noisy; rerun `./trustplane bench startup` on a quiet machine.**\n");
        }
        md.append("\nFirst start of each service on an empty database (Flyway migrates it; default JVM, not in the medians): ");
        List<String> firsts = new ArrayList<>();
        firstStarts.forEach((k, v) -> firsts.add(k + " " + fmt(((Number) v).doubleValue(), 0) + " ms"));
        md.append(String.join(", ", firsts)).append(".\n");
        md.append(summary(all));
        return md.toString();
    }

    /** Per JVM, the mean over services of the medians: one line a reader can compare. */
    private static String summary(List<Series> all) {
        Map<String, List<Series>> byJvm = new LinkedHashMap<>();
        all.stream().filter(s -> s.error() == null).forEach(s -> byJvm.computeIfAbsent(s.jvm().label(), k -> new ArrayList<>()).add(s));
        if (byJvm.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nMean over the services of those medians: ");
        List<String> parts = new ArrayList<>();
        byJvm.forEach((jvm, list) -> parts.add(jvm + ": ready " + fmt(list.stream().mapToDouble(s -> median(s.runs(), Run::readyMs)).average().orElse(0), 0)
                + " ms, RSS idle " + fmt(list.stream().mapToDouble(s -> median(s.runs(), Run::rssIdleKiB) / 1024).average().orElse(0), 0)
                + " MiB, under load " + fmt(list.stream().mapToDouble(s -> median(s.runs(), Run::rssLoadKiB) / 1024).average().orElse(0), 0) + " MiB"));
        return md.append(String.join("; ", parts)).append(".\n").toString();
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}

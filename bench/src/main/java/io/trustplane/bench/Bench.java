package io.trustplane.bench;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./trustplane bench [SCENARIO...]}: starts the suite (packaged jars, production profile) on embedded
 * PostgreSQL and Redis, seeds data through the services' APIs, measures the baselines and the scenarios in
 * the same run, and writes {@code bench/results/*.json} and {@code docs/performance.md}.
 */
public final class Bench {

    static final int CONNECTIONS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONNECTIONS", "64"));
    static final Duration DURATION = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_SECONDS", "20")));
    static final Duration WARMUP = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "30")));
    static final int AGENTS = Integer.parseInt(System.getenv().getOrDefault("BENCH_AGENTS", "10000"));

    /** Every scenario a run may be limited to; anything else on the command line is refused before a run starts. */
    static final List<String> SCENARIOS = List.of("costs", "startup", "http-ceiling", "pg-insert", "evaluate", "ceiling",
            "provenance-create", "provenance-query", "stats", "alerts", "lease-pairs", "transition", "ingest", "shapes", "crud");

    /**
     * The directory whose {@code <service>/target/quarkus-app} holds the jars under test: {@code BENCH_JARS_ROOT}
     * (another revision's build, as {@code bench/ab/run} makes them) or this tree.
     */
    static final String JARS_ROOT_ENV = "BENCH_JARS_ROOT";
    /** Where a run's JSON results go instead of bench/results; docs/performance.md is then left as it is. */
    static final String RESULTS_DIR_ENV = "BENCH_RESULTS_DIR";

    private final Path root;
    private final Tools tools;
    private final Report report = new Report();
    private final Set<String> selected;
    private Measurement httpCeiling;

    private Bench(Path root, Set<String> selected) throws IOException {
        this.root = root;
        this.selected = selected;
        this.tools = new Tools(root.resolve("bench/target/work"));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("trustplane.root", ".")).toAbsolutePath().normalize();
        Set<String> selected = new LinkedHashSet<>(List.of(args));
        // the run script checks these too; checked again here so no caller of the jar starts a run by mistake
        for (String arg : selected) {
            if (!SCENARIOS.contains(arg)) {
                System.err.println("bench: unknown scenario '" + arg + "'; scenarios: " + String.join(" ", SCENARIOS));
                System.exit(2);
            }
        }
        new Bench(root, selected).run();
    }

    private boolean wanted(String scenario) {
        return selected.isEmpty() || selected.contains(scenario);
    }

    private void run() throws Exception {
        Map<String, String> machine = machine();
        if (wanted("costs")) {
            new CrossCutting(this, root, tools).run();
        }
        if (wanted("startup")) {
            new Startup(root, tools).run();
        }
        if (!selected.isEmpty() && Set.of("costs", "startup").containsAll(selected)) {
            return; // stand-alone measurements only: no suite, docs/performance.md left as it is
        }
        Path state = Files.createTempDirectory("trustplane-bench");
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        Process ceiling = startCeilingApp();
        OtlpSink traces = new OtlpSink();
        Map<String, String> env = withTracing(traces);
        Path jars = pathFromEnv(JARS_ROOT_ENV, root);
        // another revision's services may predate settings today's launcher passes (e.g. the anchor keys): they
        // ignore what they do not know instead of refusing to start (both sides of an A/B run alike)
        Map<String, String> properties = jars.equals(root) ? Map.of()
                : Map.of("smallrye.config.mapping.validate-unknown", "false");
        try (traces; Suite suite = Suite.start(new Suite.Config(jars, state, ports, true, env, Duration.ofSeconds(240)),
                properties)) {
            Scenarios scenarios = new Scenarios(this, suite, tools, state);
            baselines(suite, ceiling);
            scenarios.seedAndRun();
        } finally {
            ceiling.destroy();
            ceiling.waitFor(20, TimeUnit.SECONDS);
        }
        machine.put("tracing", env.containsKey(Suite.OTLP_ENDPOINT_ENV)
                ? String.format("on (production defaults: parent-based, ratio 0.1); %,d OTLP/HTTP exports, %.1f MiB of spans "
                        + "received by a stand-in collector in the bench process", traces.exports(), traces.bytes() / 1_048_576.0)
                : "off (BENCH_TRACING=off)");
        deleteTree(state); // kept when the run failed: its logs/ say why
        machine.put("jars", jars.equals(root) ? "this tree" : jars.toString());
        Path results = pathFromEnv(RESULTS_DIR_ENV, null);
        if (results != null) {
            report.write(results, null, machine);
            System.out.println("wrote " + results);
        } else {
            report.write(root.resolve("bench/results"), root.resolve("docs/performance.md"), machine);
            System.out.println("wrote docs/performance.md and bench/results/");
        }
    }

    static Path pathFromEnv(String name, Path otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : Path.of(value).toAbsolutePath().normalize();
    }

    /**
     * The environment for the suite under test: production defaults, so tracing on (parent-based, ratio 0.1) and
     * exporting to {@code sink} as it would to a collector. {@code BENCH_TRACING=off} measures without it.
     */
    static Map<String, String> withTracing(OtlpSink sink) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if ("off".equals(env.get("BENCH_TRACING"))) {
            env.remove(Suite.OTLP_ENDPOINT_ENV);
        } else {
            env.put(Suite.OTLP_ENDPOINT_ENV, sink.endpoint());
        }
        return env;
    }

    /** The same-run ceilings every figure is compared with. */
    private void baselines(Suite suite, Process ceilingApp) throws Exception {
        if (wanted("http-ceiling") || selected.isEmpty()) {
            String url = "http://127.0.0.1:" + ceilingPort + "/constant";
            httpCeiling = measure("http-ceiling", d -> tools.wrk("http-ceiling", url, 2, CONNECTIONS, d,
                    "get_paths", List.of(), List.of("none", writeLines("ceiling-paths", List.of("/constant")).toString())));
            report.add("baseline", httpCeiling, Target.NONE, null, null);
        }
        if (wanted("pg-insert") || selected.isEmpty()) {
            var pg = suite.infrastructure().postgres();
            suite.infrastructure().createDatabase("trustplane_bench");
            Tools.run(List.of("psql", "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", pg.user(),
                    "-d", "trustplane_bench", "-qc", "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, "
                            + "agent_id text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"),
                    Duration.ofSeconds(30));
            Measurement m = measure("pg-insert", d -> tools.pgbench("pg-insert", pg.host(), pg.port(), pg.user(),
                    "trustplane_bench", CONNECTIONS, d, "INSERT INTO bench_insert (agent_id, payload) VALUES ('agent-' || (random() * 10000)::int, '{\"k\": 1}');"));
            report.add("baseline", m, Target.NONE, null, null);
            pgInsert = m;
        }
    }

    Measurement pgInsert;
    private int ceilingPort;

    Measurement httpCeiling() {
        return httpCeiling;
    }

    Path root() {
        return root;
    }

    Report report() {
        return report;
    }

    Set<String> selected() {
        return selected;
    }

    boolean isWanted(String scenario) {
        return wanted(scenario);
    }

    /** Runs a warm-up (discarded), then the measured run. */
    Measurement measure(String name, Load load) throws Exception {
        return measure(name, WARMUP, load);
    }

    /** As {@link #measure(String, Load)} with a shorter warm-up, for variants of a path that is already warm. */
    Measurement measure(String name, Duration warmup, Load load) throws Exception {
        System.out.printf("%-28s warming up %ds ...%n", name, warmup.toSeconds());
        load.run(warmup); // same load; the JIT and pools warm, the numbers are thrown away
        System.out.printf("%-28s measuring %ds ...%n", name, DURATION.toSeconds());
        Measurement m = load.run(DURATION);
        System.out.printf("%-28s %,10.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  errors %d%n", name, m.opsPerSecond(),
                m.p50Ms(), m.p99Ms(), m.errors());
        return m;
    }

    /** One load run of a scenario. */
    @FunctionalInterface
    interface Load {
        Measurement run(Duration duration) throws Exception;
    }

    Path writeLines(String name, List<String> lines) throws IOException {
        Path file = root.resolve("bench/target/work").resolve(name + ".txt");
        Files.write(file, lines);
        return file;
    }

    private Process startCeilingApp() throws IOException, InterruptedException {
        ceilingPort = Infrastructure.freePort();
        Path jar = root.resolve("bench/ceiling/target/quarkus-app/quarkus-run.jar");
        Process p = new ProcessBuilder(Suite.javaBinary(), "-Dquarkus.http.port=" + ceilingPort,
                "-Dquarkus.http.host=127.0.0.1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("bench/target/work/ceiling.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Suite.inUse(ceilingPort)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("the HTTP ceiling app did not start; see bench/target/work/ceiling.log");
            }
            Thread.sleep(100);
        }
        return p;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory; the OS cleans what is left
        }
    }

    private static Map<String, String> machine() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", Report.today());
        m.put("cpus", Runtime.getRuntime().availableProcessors() + " ("
                + cpuModel() + ")");
        m.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("cpu busy before the run", Host.cpuBusyPercent(Duration.ofSeconds(3)) + "% (other work on the machine)");
        return m;
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    static List<String> agentIds() {
        List<String> ids = new ArrayList<>(AGENTS);
        for (int i = 0; i < AGENTS; i++) {
            ids.add(String.format("agent-%05d", i));
        }
        return ids;
    }

    static String agentsFile(Bench bench, TokenMinter minter, List<String> ids, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < Math.min(count, ids.size()); i++) {
            lines.add(ids.get(i) + "\t" + minter.mint(ids.get(i), Duration.ofHours(2), "agent"));
        }
        return bench.writeLines("agents-" + count, lines).toString();
    }
}

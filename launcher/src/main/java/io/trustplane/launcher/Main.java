package io.trustplane.launcher;

import io.trustplane.testing.DevKeys;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./trustplane} command: {@code up} (start the suite in the background and wait until ready),
 * {@code down} (stop exactly what {@code up} started), {@code status}, {@code token}, {@code help};
 * {@code logs-format} is the filter behind {@code ./trustplane logs}. {@code supervise} is
 * the background process {@code up} starts: it owns PostgreSQL, Redis and the four services.
 */
public final class Main {

    private static final Duration UP_TIMEOUT = Duration.ofSeconds(300);

    private final Path root;
    private final Path stateDir;

    private Main(Path root) {
        this.root = root;
        this.stateDir = root.resolve(".trustplane");
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("trustplane.root", ".")).toAbsolutePath().normalize();
        Main main = new Main(root);
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        try {
            int code = switch (command) {
                case "up" -> main.up();
                case "supervise" -> main.supervise();
                case "down" -> main.down();
                case "status" -> main.status();
                case "token" -> main.token(rest);
                case "logs-format" -> formatLogs();
                case "help", "-h", "--help" -> help();
                default -> usage();
            };
            System.exit(code);
        } catch (LaunchException e) {
            System.err.println("trustplane: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Every command of {@code ./trustplane}; the script prints the same text. */
    static final String USAGE = """
            usage: ./trustplane COMMAND [ARGS]
              up                 build if needed, start PostgreSQL, Redis and the four services; print URLs and a dev token
              down               stop everything up started (data in .trustplane/ stays; see docs/operations.md)
              status             health of each service
              token --sub ID --groups ROLE[,ROLE] [--ttl 12h]
                                 mint a bearer token signed with the dev key; roles: agent, operator, admin, service
              logs SERVICE [--json]
                                 follow a service's log (lease, provenance, gate, telemetry, supervisor) as readable
                                 lines: time, level, logger, message, request id; --json prints the raw JSON lines
              verify ...         check a provenance record offline: signatures, cosignatures, inclusion, consistency
                                 with the last trusted checkpoint (docs/verification.md; verify --help)
              bench [SCENARIO...] run the load scenarios and rewrite docs/performance.md (bench --help for the list)
              help               this text
            The tool-call hook for agent runtimes is installed with scripts/install-hook (docs/tool-call-guard.md).""";

    private static int help() {
        System.out.println(USAGE);
        return 0;
    }

    private static int usage() {
        System.err.println(USAGE);
        return 2;
    }

    private static int formatLogs() {
        try {
            LogLines.copy(System.in, System.out);
            return 0;
        } catch (IOException e) {
            throw new LaunchException("could not read the log: " + e.getMessage(), e);
        }
    }

    private int up() {
        Properties existing = State.read(stateDir).orElse(null);
        if (existing != null && State.alive(existing, "supervisor.pid").isPresent()) {
            System.out.println("Trustplane is already running.");
            printSummary(existing);
            return 0;
        }
        if (existing != null) {
            cleanUpAfter(existing); // a previous supervisor died: clear what it left
        }
        Suite.preflight(Suite.Config.defaults(root, System.getenv()));
        Path log = stateDir.resolve("logs/supervisor.log");
        Process supervisor;
        try {
            Files.createDirectories(log.getParent());
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                cmd.add("/usr/bin/setsid"); // its own session: closing the terminal does not stop the suite
            }
            cmd.addAll(List.of(Suite.javaBinary(), "-Xmx512m", "-Dtrustplane.root=" + root,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "supervise"));
            supervisor = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new LaunchException("could not start the supervisor: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        System.out.print("Starting PostgreSQL, Redis and four services");
        while (System.nanoTime() < deadline) {
            Properties state = State.read(stateDir).orElse(null);
            if (state != null && "ready".equals(state.getProperty("status"))) {
                System.out.println(" ready.\n");
                printSummary(state);
                return 0;
            }
            if (state != null && "failed".equals(state.getProperty("status"))) {
                System.out.println();
                State.delete(stateDir);
                throw new LaunchException(state.getProperty("error", "startup failed") + " (see " + log + ")");
            }
            if (!supervisor.isAlive() && (state == null || !"ready".equals(state.getProperty("status")))) {
                System.out.println();
                throw new LaunchException("the supervisor exited during startup (see " + log + "): "
                        + Suite.lastErrorLine(log));
            }
            System.out.print(".");
            System.out.flush();
            pause(500);
        }
        System.out.println();
        throw new LaunchException("not ready after " + UP_TIMEOUT.toSeconds() + " s; see " + log
                + " and ./trustplane down");
    }

    private int supervise() {
        Suite.Config config = Suite.Config.defaults(root, System.getenv());
        Suite suite;
        try {
            suite = Suite.start(config);
        } catch (RuntimeException e) {
            Properties failed = new Properties();
            failed.setProperty("status", "failed");
            failed.setProperty("error", e.getMessage() == null ? e.toString() : e.getMessage());
            writeState(failed);
            e.printStackTrace();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the suite");
            suite.close();
            State.delete(stateDir);
            stopped.countDown();
        }, "trustplane-down"));
        Properties state = new Properties();
        state.setProperty("status", "ready");
        state.setProperty("supervisor.pid", Long.toString(ProcessHandle.current().pid()));
        state.setProperty("postgres", suite.infrastructure().postgres().host() + ":"
                + suite.infrastructure().postgres().port());
        state.setProperty("postgres.embedded", Boolean.toString(System.getenv("TRUSTPLANE_PG_URL") == null));
        state.setProperty("postgres.data", stateDir.resolve("pgdata").toString());
        state.setProperty("redis", suite.infrastructure().redisUrl());
        state.setProperty("redis.embedded", Boolean.toString(suite.infrastructure().embeddedRedis()));
        for (Suite.Running r : suite.services()) {
            state.setProperty("service." + r.spec().shortName() + ".port", Integer.toString(r.port()));
            state.setProperty("service." + r.spec().shortName() + ".pid", Long.toString(r.process().pid()));
        }
        state.setProperty("children", String.join(",", suite.descendantPids().stream().map(String::valueOf).toList()));
        writeState(state);
        System.out.println("suite ready");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private int down() {
        Properties state = State.read(stateDir).orElse(null);
        if (state == null) {
            System.out.println("Trustplane is not running.");
            return 0;
        }
        State.alive(state, "supervisor.pid").ifPresent(p -> {
            System.out.print("Stopping Trustplane");
            p.destroy(); // SIGTERM: the supervisor stops the services, PostgreSQL and Redis in order
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (p.isAlive() && System.nanoTime() < deadline) {
                System.out.print(".");
                System.out.flush();
                pause(500);
            }
            System.out.println();
        });
        int leftovers = cleanUpAfter(state);
        State.delete(stateDir);
        System.out.println(leftovers == 0 ? "Trustplane stopped; no process left."
                : "Trustplane stopped; " + leftovers + " leftover process(es) were killed.");
        return 0;
    }

    /** Kills whatever a supervisor started and left behind (it was killed, or shutdown timed out). */
    private int cleanUpAfter(Properties state) {
        int killed = 0;
        List<String> pids = new ArrayList<>();
        pids.add(state.getProperty("supervisor.pid", ""));
        for (String key : state.stringPropertyNames()) {
            if (key.startsWith("service.") && key.endsWith(".pid")) {
                pids.add(state.getProperty(key));
            }
        }
        pids.addAll(Arrays.asList(state.getProperty("children", "").split(",")));
        for (String pid : pids) {
            if (pid == null || pid.isBlank()) {
                continue;
            }
            var handle = ProcessHandle.of(Long.parseLong(pid.trim()));
            if (handle.isPresent() && handle.get().isAlive()) {
                handle.get().destroyForcibly();
                killed++;
            }
        }
        // the postmaster detaches from pg_ctl, so it is found through its pid file rather than as a child
        Path pidFile = Path.of(state.getProperty("postgres.data", stateDir.resolve("pgdata").toString()))
                .resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                var postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
                if (postmaster.isPresent()) {
                    postmaster.get().destroy(); // SIGTERM = smart shutdown
                    postmaster.get().onExit().get(30, TimeUnit.SECONDS);
                    killed++;
                }
            } catch (Exception ignored) {
                // not ours, or already gone
            }
        }
        return killed;
    }

    private int status() {
        Properties state = State.read(stateDir).orElse(null);
        if (state == null || State.alive(state, "supervisor.pid").isEmpty()) {
            System.out.println("Trustplane is not running (./trustplane up starts it).");
            return 3;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean allUp = true;
        List<ServiceSpec> specs = new ArrayList<>(ServiceSpec.ALL);
        if (state.getProperty("service.mcp.port") != null) {
            specs.add(ServiceSpec.MCP);
        }
        for (ServiceSpec spec : specs) {
            String port = state.getProperty("service." + spec.shortName() + ".port");
            String health;
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                health = res.statusCode() == 200 ? "UP" : "DOWN (" + res.statusCode() + ")";
            } catch (IOException e) {
                health = "UNREACHABLE";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            allUp &= "UP".equals(health);
            System.out.printf("  %-20s http://127.0.0.1:%s  %s%n", spec.name(), port, health);
        }
        System.out.printf("  %-20s %s%n  %-20s %s%n", "postgresql", state.getProperty("postgres"), "redis",
                state.getProperty("redis"));
        return allUp ? 0 : 1;
    }

    /** What a subject may look like: the services' agent-id pattern. */
    static final java.util.regex.Pattern SUBJECT = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** The roles the services know. */
    static final List<String> ROLES = List.of("agent", "operator", "admin", "service");

    private int token(String[] args) {
        String sub = null;
        String groups = null;
        Duration ttl = Duration.ofHours(12);
        if (args.length % 2 != 0) {
            throw new LaunchException("option " + args[args.length - 1] + " needs a value; usage: token --sub ID --groups agent,operator [--ttl 12h]");
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sub" -> sub = args[i + 1];
                case "--groups" -> groups = args[i + 1];
                case "--ttl" -> ttl = parseTtl(args[i + 1]);
                default -> throw new LaunchException("unknown option " + args[i] + "; usage: token --sub ID --groups agent,operator [--ttl 12h]");
            }
        }
        if (sub == null || groups == null) {
            throw new LaunchException("usage: ./trustplane token --sub ID --groups agent,operator [--ttl 12h]");
        }
        if (!SUBJECT.matcher(sub).matches()) {
            throw new LaunchException("--sub '" + sub + "' is not a valid subject: 1-128 of A-Z a-z 0-9 . _ : -");
        }
        List<String> roles = Arrays.stream(groups.split(",", -1)).map(String::strip).toList();
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new LaunchException("--groups: unknown role '" + role + "'; roles: " + String.join(", ", ROLES));
            }
        }
        Path keys = stateDir.resolve("keys");
        if (!Files.exists(keys.resolve(DevKeys.JWT_PRIVATE))) {
            throw new LaunchException("no dev key in " + keys + "; run ./trustplane up first");
        }
        System.out.println(DevKeys.loadOrCreate(keys).minter().mint(sub, ttl, roles.toArray(String[]::new)));
        return 0;
    }

    private static Duration parseTtl(String s) {
        try {
            char unit = s.charAt(s.length() - 1);
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new LaunchException("--ttl takes a number with s, m, h or d, e.g. 12h; got '" + s + "'");
        }
    }

    private void printSummary(Properties state) {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            String url = "http://127.0.0.1:" + state.getProperty("service." + spec.shortName() + ".port");
            System.out.printf("  %-20s %-24s swagger: %s/q/swagger-ui%n", spec.name(), url, url);
        }
        System.out.printf("%n  PostgreSQL %s (%s), Redis %s (%s)%n", state.getProperty("postgres"),
                "true".equals(state.getProperty("postgres.embedded")) ? "embedded" : "external",
                state.getProperty("redis"),
                "true".equals(state.getProperty("redis.embedded")) ? "embedded" : "external");
        String token = DevKeys.loadOrCreate(stateDir.resolve("keys")).minter()
                .mint("dev", Duration.ofHours(12), "operator", "admin");
        String gate = "http://127.0.0.1:" + state.getProperty("service.gate.port");
        System.out.printf("%n  Dashboard: http://127.0.0.1:%s/dashboard/ (sign in with the dev token below)%n",
                state.getProperty("service.telemetry.port"));
        System.out.println("\nDev token (sub=dev, groups=operator,admin, valid 12 h):\n");
        System.out.println("  export TOKEN=" + token);
        System.out.println("  curl -H \"Authorization: Bearer $TOKEN\" " + gate + "/v1/whoami\n");
        String mcp = state.getProperty("service.mcp.port");
        if (mcp != null) {
            System.out.printf("MCP endpoint (Streamable HTTP, send the agent's token as Bearer): http://127.0.0.1:%s/mcp%n",
                    mcp);
        }
        System.out.println("An agent's token: ./trustplane token --sub agent-7 --groups agent");
        System.out.println("Logs: ./trustplane logs gate     Stop: ./trustplane down");
    }

    private void writeState(Properties state) {
        try {
            State.write(stateDir, state);
        } catch (IOException e) {
            throw new LaunchException("cannot write state in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.trustplane.launcher;

import io.trustplane.testing.DevKeys;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.PgEndpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole Trustplane suite on one machine: PostgreSQL and Redis (embedded, or the servers named by
 * {@code TRUSTPLANE_PG_URL} / {@code TRUSTPLANE_REDIS_URL}), the four databases, and the four packaged
 * services as child JVMs wired to them and to each other. {@code ./trustplane up} and the end-to-end test
 * both start it through this class.
 */
public final class Suite implements AutoCloseable {

    /** OTLP/HTTP endpoint for the services' traces (e.g. http://127.0.0.1:4318); unset: tracing off. */
    public static final String OTLP_ENDPOINT_ENV = "TRUSTPLANE_OTLP_ENDPOINT";
    /** How long a service gets to drain and exit after SIGTERM before it is killed. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /** Where and how to run: project root (for the jars), state directory (keys, logs, data), ports. */
    public record Config(Path projectRoot, Path stateDir, Map<ServiceSpec, Integer> ports, boolean durable,
            Map<String, String> env, Duration readyTimeout) {

        public static Config defaults(Path projectRoot, Map<String, String> env) {
            int base = Integer.parseInt(env.getOrDefault("TRUSTPLANE_PORT_BASE", "8081"));
            Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
            for (int i = 0; i < ServiceSpec.ALL.size(); i++) {
                ports.put(ServiceSpec.ALL.get(i), base + i);
            }
            if (Files.isRegularFile(ServiceSpec.MCP.jar(projectRoot))) {
                ports.put(ServiceSpec.MCP, base + ServiceSpec.ALL.size());
            }
            // a dev database: commits do not wait for their WAL flush (fsync stays on: a crash of the host can lose
            // the last fraction of a second, as Redis' everysec can, and corrupts nothing); set it to on to wait
            Map<String, String> upEnv = new java.util.HashMap<>(env);
            upEnv.putIfAbsent(Infrastructure.PG_SYNCHRONOUS_COMMIT_ENV, "off");
            return new Config(projectRoot, projectRoot.resolve(".trustplane"), ports, true, Map.copyOf(upEnv),
                    Duration.ofSeconds(180));
        }
    }

    /** A started service: its child process and where it answers. */
    public record Running(ServiceSpec spec, Process process, int port, Path log) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final Config config;
    private final DevKeys keys;
    private final Infrastructure infrastructure;
    private final List<Running> services;
    private final Map<String, String> properties;
    private String serviceToken;

    private Suite(Config config, DevKeys keys, Infrastructure infrastructure, List<Running> services,
            Map<String, String> properties) {
        this.config = config;
        this.keys = keys;
        this.infrastructure = infrastructure;
        this.services = services;
        this.properties = Map.copyOf(properties);
    }

    /** The four services, then the MCP endpoint when the config gives it a port. */
    static List<ServiceSpec> specs(Config config) {
        List<ServiceSpec> specs = new ArrayList<>(ServiceSpec.ALL);
        if (config.ports().containsKey(ServiceSpec.MCP)) {
            specs.add(ServiceSpec.MCP);
        }
        return specs;
    }

    /** Checks what can be checked before anything starts, failing with one clear line. */
    public static void preflight(Config config) {
        for (ServiceSpec spec : specs(config)) {
            Path jar = spec.jar(config.projectRoot());
            if (!Files.isRegularFile(jar)) {
                throw new LaunchException(spec.name() + " is not built (" + config.projectRoot().relativize(jar)
                        + " is missing); run ./mvnw -DskipTests package");
            }
            int port = config.ports().get(spec);
            if (inUse(port)) {
                throw new LaunchException("port " + port + " for " + spec.name()
                        + " is already in use; stop what holds it or set TRUSTPLANE_PORT_BASE");
            }
        }
        String pgUrl = config.env().get(Infrastructure.PG_URL_ENV);
        if (pgUrl != null && !pgUrl.isBlank()) {
            PgEndpoint pg = PgEndpoint.parse(pgUrl);
            requireReachable("PostgreSQL", Infrastructure.PG_URL_ENV, pg.host(), pg.port());
        }
        String redisUrl = config.env().get(Infrastructure.REDIS_URL_ENV);
        if (redisUrl != null && !redisUrl.isBlank()) {
            URI uri = URI.create(redisUrl);
            requireReachable("Redis", Infrastructure.REDIS_URL_ENV, uri.getHost(),
                    uri.getPort() < 0 ? 6379 : uri.getPort());
        }
    }

    /** Starts everything and returns once every service reports ready; on failure stops what it started. */
    public static Suite start(Config config) {
        return start(config, Map.of());
    }

    /**
     * As {@link #start(Config)}, with extra system properties given to every service (and to every replica or
     * restart of one), e.g. shorter intervals for a test.
     */
    public static Suite start(Config config, Map<String, String> properties) {
        preflight(config);
        DevKeys keys = DevKeys.loadOrCreate(config.stateDir().resolve("keys"));
        Path logs = config.stateDir().resolve("logs");
        Infrastructure infra;
        try {
            Files.createDirectories(logs);
            infra = Infrastructure.start(new Infrastructure.Options(config.durable(), 400,
                    config.durable() ? config.stateDir().resolve("pgdata") : null, 0, 0), config.env());
        } catch (IOException e) {
            throw new LaunchException("cannot write " + logs + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new LaunchException(e.getMessage(), e);
        }
        List<Running> running = new ArrayList<>();
        Suite suite = new Suite(config, keys, infra, running, properties);
        try {
            suite.serviceToken = keys.minter().mint("trustplane-suite", Duration.ofDays(30), "service");
            for (ServiceSpec spec : specs(config)) {
                if (spec.database() != null) {
                    infra.createDatabase(spec.database());
                }
                running.add(suite.launch(spec, config.ports().get(spec), logs.resolve(spec.shortName() + ".log"), false));
            }
            suite.awaitReady(running);
            return suite;
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    /** Starts one service process on {@code port}, writing (or appending) its output to {@code log}. */
    private Running launch(ServiceSpec spec, int port, Path log, boolean append) {
        return launch(spec, port, log, append, Map.of());
    }

    private Running launch(ServiceSpec spec, int port, Path log, boolean append, Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(properties);
        merged.putAll(extra);
        return launch(config, spec, infrastructure, keys, serviceToken, port, log, append, javaBinary(), List.of(),
                merged);
    }

    /**
     * Starts one service as {@link #start} does (same flags and properties), with the given {@code java} binary
     * and extra JVM flags (e.g. an AOT cache), logging to {@code log}; does not wait for it to be ready.
     * The bench's startup measurement uses it.
     */
    public static Running launch(Config config, ServiceSpec spec, Infrastructure infra, DevKeys keys,
            String serviceToken, Path log, String java, List<String> jvmArgs) {
        return launch(config, spec, infra, keys, serviceToken, config.ports().get(spec), log, false, java, jvmArgs,
                Map.of());
    }

    private static Running launch(Config config, ServiceSpec spec, Infrastructure infra, DevKeys keys,
            String serviceToken, int port, Path log, boolean append, String java, List<String> jvmArgs,
            Map<String, String> properties) {
        PgEndpoint pg = infra.postgres();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xms64m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.addAll(jvmArgs);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.port", Integer.toString(port));
        props.put("quarkus.http.host", "127.0.0.1");
        props.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(spec.database()));
        props.put("quarkus.datasource.reactive.url", pg.reactiveUrl(spec.database()));
        props.put("quarkus.datasource.username", pg.user());
        props.put("quarkus.datasource.password", pg.password());
        props.put("quarkus.redis.hosts", infra.redisUrl());
        props.put("mp.jwt.verify.publickey.location", keys.jwtPublicKeyFile().toUri().toString());
        props.put("trustplane.log.key-file", keys.logSigningKeyFile().toString());
        props.put("trustplane.tool-calls.key-file", keys.receiptSigningKeyFile().toString());
        props.put("trustplane.events.anchor-keys-dir", keys.directory().toString());
        props.put("trustplane.service-token", serviceToken);
        for (ServiceSpec other : ServiceSpec.ALL) {
            props.put("trustplane.services." + other.shortName(), "http://127.0.0.1:" + config.ports().get(other));
        }
        // traces go to the collector named by TRUSTPLANE_OTLP_ENDPOINT (OTLP/HTTP); without one the SDK is off
        String otlp = config.env().get(OTLP_ENDPOINT_ENV);
        if (otlp == null || otlp.isBlank()) {
            props.put("quarkus.otel.sdk.disabled", "true");
        } else {
            props.put("quarkus.otel.exporter.otlp.traces.endpoint", otlp);
        }
        props.putAll(properties);
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(spec.jar(config.projectRoot()).toString());
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(config.projectRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(log.toFile())
                            : ProcessBuilder.Redirect.to(log.toFile()));
            pb.environment().remove("QUARKUS_PROFILE");
            return new Running(spec, pb.start(), port, log);
        } catch (IOException e) {
            throw new LaunchException("could not start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(List<Running> started) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        List<Running> pending = new ArrayList<>(started);
        while (!pending.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                Running r = it.next();
                if (!r.process().isAlive()) {
                    throw new LaunchException(r.spec().name() + " exited with code " + r.process().exitValue()
                            + " during startup: " + lastErrorLine(r.log()) + " (full log: " + r.log() + ")");
                }
                if (isReady(http, r)) {
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("not ready after " + config.readyTimeout().toSeconds() + " s: "
                        + pending.stream().map(r -> r.spec().name() + " (log: " + r.log() + ")").toList());
            }
            if (!pending.isEmpty()) {
                sleep(250);
            }
        }
    }

    private static boolean isReady(HttpClient http, Running r) {
        try {
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(r.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return res.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for " + r.spec().name());
        }
    }

    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A JSON log line (the services' production format) shown as its message; a text line as it is. */
    static String readable(String line) {
        Matcher m = JSON_MESSAGE.matcher(line);
        return line.startsWith("{") && m.find() ? m.group(1).replace("\\n", " ").replace("\\\"", "\"") : line;
    }

    /** The most telling line of a failed service's log: its first ERROR, else its last line. */
    static String lastErrorLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            Optional<String> error = lines.stream().filter(l -> l.contains("ERROR")).findFirst();
            String line = readable(error.orElse(lines.isEmpty() ? "(empty log)" : lines.get(lines.size() - 1)));
            return line.length() > 400 ? line.substring(0, 400) + "..." : line;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public synchronized List<Running> services() {
        return List.copyOf(services);
    }

    /** The first started instance of {@code spec} (the one on its configured port). */
    public synchronized Running service(ServiceSpec spec) {
        return services.stream().filter(r -> r.spec().equals(spec)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(spec.name() + " is not part of this suite"));
    }

    /**
     * Kills a service process as {@code kill -9} would (SIGKILL: no shutdown hooks, no draining) and waits until
     * it is gone. It stays in {@link #services()} (not alive) until {@link #restart(Running)}.
     */
    public void kill(Running service) {
        Process p = service.process();
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new LaunchException(service.spec().name() + " (pid " + p.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while killing " + service.spec().name());
        }
    }

    /**
     * Starts {@code service} again on the same port (stopping it gracefully first if it still runs) and returns
     * once it is ready; the new process replaces the old one in {@link #services()} and appends to the same log.
     */
    public Running restart(Running service) {
        if (service.process().isAlive()) {
            stop(service.process(), SHUTDOWN_GRACE);
        }
        Running again = launch(service.spec(), service.port(), service.log(), true);
        replace(service, again);
        awaitReady(List.of(again));
        return again;
    }

    /**
     * Starts one more instance of {@code spec} on {@code port}, sharing the suite's PostgreSQL, Redis and keys
     * (a second replica), and returns once it is ready; {@link #close()} stops it with the others.
     */
    public Running startReplica(ServiceSpec spec, int port) {
        return startReplica(spec, port, Map.of());
    }

    /**
     * As {@link #startReplica(ServiceSpec, int)}, with {@code extra} system properties on top of the suite's (e.g.
     * replicas of a test with their own rate limit).
     */
    public Running startReplica(ServiceSpec spec, int port, Map<String, String> extra) {
        if (inUse(port)) {
            throw new LaunchException("port " + port + " for a replica of " + spec.name() + " is already in use");
        }
        Running replica = launch(spec, port, config.stateDir().resolve("logs")
                .resolve(spec.shortName() + "-" + port + ".log"), false, extra);
        synchronized (this) {
            services.add(replica);
        }
        awaitReady(List.of(replica));
        return replica;
    }

    /** Stops one instance gracefully (e.g. a replica a test no longer needs) and forgets it. */
    public void stop(Running service) {
        stop(service.process(), SHUTDOWN_GRACE);
        synchronized (this) {
            services.remove(service);
        }
    }

    private synchronized void replace(Running old, Running fresh) {
        int i = services.indexOf(old);
        if (i < 0) {
            services.add(fresh);
        } else {
            services.set(i, fresh);
        }
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL: how the launcher and the bench stop what they started. */
    public static void stop(Process p, Duration grace) {
        if (p == null) {
            return;
        }
        p.destroy();
        awaitExit(p, grace);
    }

    /** Waits for a process already sent SIGTERM; SIGKILL after {@code grace}. */
    private static void awaitExit(Process p, Duration grace) {
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    public DevKeys keys() {
        return keys;
    }

    public Infrastructure infrastructure() {
        return infrastructure;
    }

    /** Every process this suite started, for {@code ./trustplane down} to check after a crash. */
    public List<Long> descendantPids() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
    }

    /** Stops the services (gracefully, then forcibly), then PostgreSQL and Redis. */
    @Override
    public synchronized void close() {
        for (Running r : services) {
            r.process().destroy();
        }
        for (Running r : services) {
            awaitExit(r.process(), SHUTDOWN_GRACE);
        }
        infrastructure.close();
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void requireReachable(String what, String env, String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            throw new LaunchException(what + " at " + host + ":" + port + " (from " + env + ") is unreachable: "
                    + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted");
        }
    }
}

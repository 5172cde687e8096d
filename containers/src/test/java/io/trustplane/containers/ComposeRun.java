package io.trustplane.containers;

import static org.awaitility.Awaitility.await;

import io.trustplane.testing.DevKeys;
import io.trustplane.testing.Infrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One deploy/compose project run by podman-compose, as shipped (compose.yaml) or scaled out (plus
 * compose.scale.yaml): fresh keys mounted, every published port a free one on 127.0.0.1, the images of
 * {@link Images}. {@link #close()} stops and removes its containers, pod, network and volumes, also when a test
 * failed (and from a shutdown hook if the JVM is ended early), after saving every container's log.
 *
 * <p>Tests reach the services only through base URLs ({@link #url}, {@link #balancer}), so any HTTP suite can be
 * pointed at a running project the same way: see docs/operations.md ("Containers").
 */
final class ComposeRun implements AutoCloseable {

    static final Path COMPOSE = Engine.ROOT.resolve("deploy/compose");
    static final Map<String, Integer> CONTAINER_PORTS = Map.of("lease", 8081, "provenance", 8082, "gate", 8083, "telemetry", 8084);

    /**
     * The name under which a container reaches the host (podman writes it into every container's /etc/hosts, as the
     * bridge's address on the host): a receiver a test runs on the host listens on all addresses and is named so.
     */
    static final String HOST_ALIAS = "host.containers.internal";

    /**
     * The Compose implementation that runs a project. Debian 12's podman-compose (1.0.3) drives podman directly and
     * ignores depends_on conditions; docker-compose (1.29, what users of Docker run) talks to podman's Docker API on
     * a socket this run starts, and honours them.
     */
    enum Tool {
        PODMAN_COMPOSE("podman-compose", "io.podman.compose.project"),
        DOCKER_COMPOSE("docker-compose", "com.docker.compose.project");

        final String command;
        /** The label each implementation puts on its containers, volumes and networks. */
        final String projectLabel;

        Tool(String command, String projectLabel) {
            this.command = command;
            this.projectLabel = projectLabel;
        }
    }

    final String project;
    final Tool tool;
    final boolean scaled;
    final DevKeys keys;
    final Map<String, String> env = new LinkedHashMap<>();
    final Duration upToReady;
    private final List<String> files = new ArrayList<>();
    private final Path keysDir;
    private final Thread hook;
    private Process podmanService;
    private Path socketDir;
    private boolean closed;

    private ComposeRun(Tool tool, boolean scaled, Map<String, Map<String, String>> settings)
            throws IOException, InterruptedException {
        this.tool = tool;
        this.scaled = scaled;
        this.project = "tpit" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createDirectories(Engine.LOGS.resolve(project));
        this.keys = DevKeys.loadOrCreate(dir.resolve("all-keys"));
        // only what the services read, readable by their uid (185)
        this.keysDir = Files.createDirectories(dir.resolve("keys"));
        Files.copy(keys.jwtPublicKeyFile(), keysDir.resolve(DevKeys.JWT_PUBLIC));
        Files.copy(keys.logSigningKeyFile(), keysDir.resolve(DevKeys.LOG_PRIVATE));
        Files.copy(keys.receiptSigningKeyFile(), keysDir.resolve(DevKeys.RECEIPT_PRIVATE));
        List<String> keyFiles = new ArrayList<>(List.of(DevKeys.JWT_PUBLIC, DevKeys.LOG_PRIVATE,
                DevKeys.RECEIPT_PRIVATE));
        for (String producer : DevKeys.ANCHOR_PRODUCERS) {
            String name = DevKeys.anchorKeyName(producer);
            Files.copy(keys.directory().resolve(name), keysDir.resolve(name));
            keyFiles.add(name);
        }
        Files.setPosixFilePermissions(keysDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String f : keyFiles) {
            Files.setPosixFilePermissions(keysDir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        }
        files.add(COMPOSE.resolve("compose.yaml").toString());
        if (scaled) {
            files.add(COMPOSE.resolve("compose.scale.yaml").toString());
        }
        if (!settings.isEmpty()) {
            files.add(writeSettings(dir, settings).toString());
        }
        env.put("TRUSTPLANE_IMAGE_PREFIX", Images.PREFIX);
        env.put("TRUSTPLANE_TAG", Images.TAG);
        env.put("TRUSTPLANE_KEYS_DIR", keysDir.toString());
        // what the services call each other with (telemetry's rollbacks through gate, ...), as `./trustplane up` mints it
        env.put("TRUSTPLANE_SERVICE_TOKEN", keys.minter().mint("trustplane-suite", Duration.ofDays(30), "service"));
        env.put("TRUSTPLANE_POSTGRES_PORT", String.valueOf(Infrastructure.freePort()));
        env.put("TRUSTPLANE_REDIS_PORT", String.valueOf(Infrastructure.freePort()));
        for (String s : Images.SERVICES) {
            env.put(portVariable(s), String.valueOf(Infrastructure.freePort()));
            if (scaled) {
                env.put("TRUSTPLANE_" + s.toUpperCase() + "_2_PORT", String.valueOf(Infrastructure.freePort()));
                env.put("TRUSTPLANE_BALANCER_" + s.toUpperCase() + "_PORT", String.valueOf(Infrastructure.freePort()));
            }
        }
        for (String f : Images.FRONTS) {
            env.put(portVariable(f), String.valueOf(Infrastructure.freePort()));
        }
        this.hook = new Thread(this::closeQuietly, "compose-down-" + project);
        Runtime.getRuntime().addShutdownHook(hook);
        Duration ready;
        try {
            ready = start();
        } catch (Throwable e) {
            // nobody else holds this run yet: remove what was started before failing
            closeQuietly();
            throw e;
        }
        this.upToReady = ready;
    }

    /** Builds the images if this JVM has not yet, starts the project and waits until every service answers ready. */
    static ComposeRun up(boolean scaled) throws Exception {
        return up(Tool.PODMAN_COMPOSE, scaled, Map.of());
    }

    /**
     * As {@link #up(boolean)}, with settings of this run only: per Compose service ("gate-service", also
     * "gate-service-2" in the scaled run), configuration properties given to it as environment variables in a third
     * Compose file (the shipped files stay as they are).
     */
    static ComposeRun up(Tool tool, boolean scaled, Map<String, Map<String, String>> settings) throws Exception {
        Images.ensureBuilt();
        return new ComposeRun(tool, scaled, settings);
    }

    /** The settings as a Compose file merged over the shipped ones: one environment entry per property. */
    private static Path writeSettings(Path dir, Map<String, Map<String, String>> settings) throws IOException {
        StringBuilder yaml = new StringBuilder("# settings of one test run only, merged over compose.yaml\nservices:\n");
        settings.forEach((service, properties) -> {
            yaml.append("  ").append(service).append(":\n    environment:\n");
            properties.forEach((property, value) -> yaml.append("      ").append(environmentName(property)).append(": \"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        });
        return Files.writeString(dir.resolve("settings.yaml"), yaml);
    }

    /** A property's environment variable as SmallRye Config looks it up: upper case, every other character '_'. */
    static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static String portVariable(String service) {
        return "TRUSTPLANE_" + service.toUpperCase() + "_PORT";
    }

    private Duration start() throws IOException, InterruptedException {
        ScheduledExecutorService healthChecks = null;
        if (tool == Tool.DOCKER_COMPOSE) {
            startPodmanService();
            // podman schedules a container's health check with a systemd timer; where PID 1 is no systemd (this
            // sandbox, many CI containers) nothing runs it and docker-compose would wait on service_healthy forever.
            // Run the checks the timers would run, every 2 s, until every container is healthy
            healthChecks = Executors.newSingleThreadScheduledExecutor();
            healthChecks.scheduleWithFixedDelay(this::runHealthChecks, 2, 2, TimeUnit.SECONDS);
        }
        try {
            return startAndWait();
        } finally {
            if (healthChecks != null) {
                healthChecks.shutdownNow();
            }
        }
    }

    private Duration startAndWait() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Engine.Result up = compose(Duration.ofMinutes(10), "up", "-d");
        Files.writeString(Engine.LOGS.resolve(project).resolve("up.log"), up.output());
        up.orFail(tool.command + " up");
        List<String> urls = new ArrayList<>();
        for (String s : Images.SERVICES) {
            urls.add(url(s));
            if (scaled) {
                urls.add(replica2(s));
                urls.add(balancer(s));
            }
        }
        for (String f : Images.FRONTS) {
            urls.add(url(f));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // eight JVMs starting at once on a shared 2-core machine: minutes, not seconds
        await("every service ready: " + urls).atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1))
                .until(() -> urls.stream().allMatch(u -> ready(client, u)));
        if (tool == Tool.DOCKER_COMPOSE) {
            // and healthy as Compose sees it (its health checks, run in the containers)
            await("every container healthy").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> healthStatuses().values().stream().allMatch("healthy"::equals));
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Every container of the project and its health status as podman reports it. */
    Map<String, String> healthStatuses() throws IOException, InterruptedException {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (String c : containers()) {
            statuses.put(c, podman("inspect", "--format", "{{.State.Health.Status}}", c).lastLine());
        }
        return statuses;
    }

    private void runHealthChecks() {
        try {
            for (String c : containers()) {
                podman("healthcheck", "run", c); // unhealthy yet: the status says so, nothing to do here
            }
        } catch (IOException | RuntimeException e) {
            // the next round tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** podman's Docker-compatible API on a unix socket of this run, for docker-compose (DOCKER_HOST). */
    private void startPodmanService() throws IOException {
        socketDir = Files.createTempDirectory("tp-podman");
        Path socket = socketDir.resolve("podman.sock");
        ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(Engine.LOGS.resolve(project).resolve("podman-service.log").toFile());
        pb.environment().put("CONTAINERS_CONF", Engine.CONF.toString());
        podmanService = pb.start();
        env.put("DOCKER_HOST", "unix://" + socket);
        await("podman service listening on " + socket).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(socket) || !podmanService.isAlive());
        if (!podmanService.isAlive()) {
            throw new AssertionError("podman system service ended: see " + Engine.LOGS.resolve(project).resolve("podman-service.log"));
        }
    }

    private static boolean ready(HttpClient client, String base) {
        try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Engine.Result compose(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool.command, "-p", project));
        for (String f : files) {
            cmd.addAll(List.of("-f", f));
        }
        cmd.addAll(List.of(args));
        return Engine.run(timeout, env, cmd);
    }

    /** Replica 1 of a service ("lease", ...), on its published port. */
    String url(String service) {
        return "http://127.0.0.1:" + env.get(portVariable(service));
    }

    String replica2(String service) {
        return "http://127.0.0.1:" + env.get("TRUSTPLANE_" + service.toUpperCase() + "_2_PORT");
    }

    String balancer(String service) {
        return "http://127.0.0.1:" + env.get("TRUSTPLANE_BALANCER_" + service.toUpperCase() + "_PORT");
    }

    /** The podman name of a Compose service's container ("lease-service", "lease-service-2", "postgres", ...). */
    String container(String composeService) {
        return project + "_" + composeService + "_1";
    }

    List<String> containers() throws IOException, InterruptedException {
        String out = Engine.run(Duration.ofMinutes(1), "podman", "ps", "-a", "--filter",
                "label=" + tool.projectLabel + "=" + project, "--format", "{{.Names}}").orFail("podman ps").output();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    Engine.Result podman(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        return Engine.run(Duration.ofMinutes(2), Map.of(), cmd);
    }

    /**
     * Proportional set size of every process of a container, in KiB (host /proc/&lt;pid&gt;/smaps_rollup of the
     * processes podman top names): the RSS of a one-process container, and for PostgreSQL's many processes their
     * shared buffers counted once rather than once per process as summed RSS would.
     */
    long pssKiB(String container) throws IOException, InterruptedException {
        String out = podman("top", container, "hpid").orFail("podman top " + container).output();
        long total = 0;
        for (String line : out.lines().skip(1).toList()) {
            String pid = line.strip();
            if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) {
                continue;
            }
            Path status = Path.of("/proc", pid, "smaps_rollup");
            if (Files.isReadable(status)) {
                for (String s : Files.readAllLines(status)) {
                    if (s.startsWith("Pss:")) {
                        total += Long.parseLong(s.replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        return total;
    }

    /** The project's Redis on its published port, redis://127.0.0.1:port. */
    URI redis() {
        return URI.create("redis://127.0.0.1:" + env.get("TRUSTPLANE_REDIS_PORT"));
    }

    Connection db(String service) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + env.get("TRUSTPLANE_POSTGRES_PORT")
                + "/trustplane_" + service, "trustplane", "trustplane");
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("compose project " + project + " not fully removed: " + e);
        }
    }

    private void stopPodmanService() throws IOException, InterruptedException {
        if (podmanService != null) {
            podmanService.destroy();
            if (!podmanService.waitFor(30, TimeUnit.SECONDS)) {
                podmanService.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            podmanService = null;
        }
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("podman.sock"));
            Files.deleteIfExists(socketDir);
        }
    }

    /** Saves every container's log, then removes the containers, the pod, the network and the volumes. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        Path dir = Engine.LOGS.resolve(project);
        try {
            for (String c : containers()) {
                Files.writeString(dir.resolve(c + ".log"), podman("logs", c).output());
            }
        } finally {
            Engine.Result down = compose(Duration.ofMinutes(5), "down", "-v", "-t", "5");
            Files.writeString(dir.resolve("down.log"), down.output());
            // whatever down left behind (it stops early on some errors)
            String label = "label=" + tool.projectLabel + "=" + project;
            Engine.run(Duration.ofMinutes(2), "sh", "-c", "podman ps -aq --filter " + label
                    + " | xargs -r podman rm -f -t 0; podman pod rm -f pod_" + project + " 2>/dev/null;"
                    + " podman volume ls -q --filter " + label + " | xargs -r podman volume rm -f;"
                    + " podman network rm -f " + project + "_default 2>/dev/null; true");
            stopPodmanService();
        }
    }
}

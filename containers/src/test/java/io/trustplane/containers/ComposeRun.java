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

    final String project;
    final boolean scaled;
    final DevKeys keys;
    final Map<String, String> env = new LinkedHashMap<>();
    final Duration upToReady;
    private final List<String> files = new ArrayList<>();
    private final Path keysDir;
    private final Thread hook;
    private boolean closed;

    private ComposeRun(boolean scaled) throws IOException, InterruptedException {
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
        env.put("TRUSTPLANE_IMAGE_PREFIX", Images.PREFIX);
        env.put("TRUSTPLANE_TAG", Images.TAG);
        env.put("TRUSTPLANE_KEYS_DIR", keysDir.toString());
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
        Images.ensureBuilt();
        return new ComposeRun(scaled);
    }

    private static String portVariable(String service) {
        return "TRUSTPLANE_" + service.toUpperCase() + "_PORT";
    }

    private Duration start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Engine.Result up = compose(Duration.ofMinutes(10), "up", "-d");
        Files.writeString(Engine.LOGS.resolve(project).resolve("up.log"), up.output());
        up.orFail("podman-compose up");
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
        return Duration.ofNanos(System.nanoTime() - t0);
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
        List<String> cmd = new ArrayList<>(List.of("podman-compose", "-p", project));
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
                "label=io.podman.compose.project=" + project, "--format", "{{.Names}}").orFail("podman ps").output();
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
            Engine.run(Duration.ofMinutes(2), "sh", "-c", "podman ps -aq --filter label=io.podman.compose.project=" + project
                    + " | xargs -r podman rm -f -t 0; podman pod rm -f pod_" + project + " 2>/dev/null;"
                    + " podman volume ls -q --filter label=io.podman.compose.project=" + project + " | xargs -r podman volume rm -f;"
                    + " podman network rm -f " + project + "_default 2>/dev/null; true");
        }
    }
}

package io.trustplane.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * deploy/compose/compose.yaml as shipped, run once by docker-compose (Debian's 1.29, what users of Docker run)
 * against podman's Docker API, from the images {@link Images} builds: every container healthy, non-root on a
 * read-only root filesystem, published on 127.0.0.1 only, its database created and migrated, Redis persisting with
 * AOF, a write through every service accepted with the mounted keys, and the e2e module's cross-service suite
 * passing against it ({@link EndToEnd}). podman-compose runs the scaled setup ({@link ScaledComposeTest}).
 */
class SingleComposeTest {

    static ComposeRun run;
    static final Api api = new Api();

    @BeforeAll
    static void up() throws Exception {
        // the e2e suite's settings (EndToEnd): its webhook receivers on the host, shorter intervals
        run = ComposeRun.up(ComposeRun.Tool.DOCKER_COMPOSE, false, Map.of("telemetry-service", EndToEnd.settings()));
        Images.Built built = Images.ensureBuilt();
        Report.line("images built in " + built.took().toSeconds() + " s; sizes (MB): " + sizesInMb(built.sizes()));
        Report.line("single: " + run.tool.command + " up -d to every service ready and every container healthy: "
                + run.upToReady.toSeconds() + " s");
    }

    @AfterAll
    static void down() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    static String sizesInMb(Map<String, Long> sizes) {
        List<String> parts = new ArrayList<>();
        sizes.forEach((k, v) -> parts.add(k + " " + v / 1_000_000));
        return String.join(", ", parts);
    }

    /** The cross-service end-to-end suite (e2e module) against these containers, as against the launcher. */
    @Test
    void theEndToEndSuitePassesAgainstTheContainers() {
        TestExecutionSummary summary = EndToEnd.run(run);
        Report.line("single: e2e suite (" + EndToEnd.CLASSES.size() + " classes) against the containers: "
                + summary.getTestsSucceededCount() + " passed, " + summary.getTotalFailureCount() + " failed, "
                + summary.getTestsAbortedCount() + " aborted, " + summary.getTestsSkippedCount() + " skipped");
        assertThat(summary.getTotalFailureCount()).as(EndToEnd.failures(summary)).isZero();
        assertThat(summary.getTestsAbortedCount()).as("aborted").isZero();
        assertThat(summary.getTestsSucceededCount()).as("passed").isPositive();
    }

    @Test
    void servicesRunAsUid185OnAReadOnlyRootFilesystemWithDebiansJre17() throws Exception {
        for (String s : Images.SERVICES) {
            String c = run.container(s + "-service");
            assertThat(run.podman("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", c).orFail("inspect").lastLine())
                    .as(c).isEqualTo("true");
            assertThat(run.podman("exec", c, "id", "-u").orFail("id").lastLine()).as(c).isEqualTo("185");
            assertThat(run.podman("exec", c, "sh", "-c", "touch /deployments/x 2>&1 || echo refused").output())
                    .as(c).contains("Read-only file system");
            String java = run.podman("exec", c, "java", "-version").orFail("java -version").output();
            assertThat(java).as(c).contains("openjdk version \"17.").contains("Debian");
        }
    }

    @Test
    void imagesCarryWhatTheirDockerfileDeclares() throws Exception {
        for (var e : ComposeRun.CONTAINER_PORTS.entrySet()) {
            String image = Images.name(e.getKey() + "-service");
            String config = run.podman("image", "inspect", "--format",
                    "{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.ExposedPorts}}|{{json .Config.Env}}", image)
                    .orFail("image inspect").lastLine();
            assertThat(config).as(image).startsWith("185|")
                    .contains("/opt/jboss/container/java/run/run-java.sh")
                    .contains("\"" + e.getValue() + "/tcp\"")
                    .contains("JAVA_APP_JAR=/deployments/quarkus-run.jar");
        }
    }

    @Test
    void everyPublishedPortIsOnLoopbackOnly() throws Exception {
        for (String c : run.containers()) {
            for (String line : run.podman("port", c).orFail("podman port").output().lines().toList()) {
                if (!line.isBlank()) {
                    assertThat(line).as(c).contains("-> 127.0.0.1:");
                }
            }
        }
    }

    @Test
    void redisPersistsWithAnAppendOnlyFileFsyncedEverySecond() throws Exception {
        String redis = run.container("redis");
        assertThat(run.podman("exec", redis, "redis-cli", "config", "get", "appendonly").orFail("redis-cli").output())
                .contains("yes");
        assertThat(run.podman("exec", redis, "redis-cli", "config", "get", "appendfsync").orFail("redis-cli").output())
                .contains("everysec");
        assertThat(run.podman("exec", redis, "id", "-un").orFail("id").lastLine()).isEqualTo("redis");
    }

    @Test
    void eachServiceMigratedItsOwnDatabase() throws Exception {
        for (String s : Images.SERVICES) {
            try (Connection c = run.db(s);
                    ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as(s).isPositive();
            }
        }
    }

    @Test
    void aWriteThroughEveryServiceIsAcceptedThenMemoryIsMeasuredIdleAndUnderLoad() throws Exception {
        var minter = run.keys.minter();
        String agent = "containers-" + UUID.randomUUID().toString().substring(0, 8);
        String token = minter.agent(agent);
        String admin = minter.mint("containers-admin", "admin");
        Api.Reply lease = api.post(run.url("lease") + "/v1/leases", token,
                Map.of("taskId", agent + "-task", "phase", "IMPLEMENT", "ttlSeconds", 30));
        assertThat(lease.status()).as("lease: %s", lease).isEqualTo(201);
        Api.Reply record = api.post(run.url("provenance") + "/v1/provenance", token, Workloads.provenanceBody(agent, 0));
        assertThat(record.status()).as("provenance: %s", record).isEqualTo(201);
        // the checkpoint is signed with the mounted log key
        Api.Reply note = api.get(run.url("provenance") + "/v1/log/checkpoint", token);
        assertThat(note.status()).as("checkpoint: %s", note).isEqualTo(200);
        Api.Reply gate = api.put(run.url("gate") + "/v1/agents/" + agent, admin, Map.of("trustScore", 450));
        assertThat(gate.ok()).as("gate: %s", gate).isTrue();
        Api.Reply events = api.post(run.url("telemetry") + "/v1/events", token,
                Map.of("counters", List.of(Map.of("id", agent + "-1", "name", "containers.smoke", "value", 1))));
        assertThat(events.ok()).as("telemetry: %s", events).isTrue();

        Report.line("single: memory (PSS, MiB) idle: " + rss());
        // a short load: 30 s of lease grants and provenance records, 16 in flight
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            int worker = w;
            workers.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; System.nanoTime() < until; n++) {
                    String a = agent + "-w" + worker;
                    api.post(run.url("lease") + "/v1/leases", minter.agent(a),
                            Map.of("taskId", a + "-" + n, "phase", "IMPLEMENT", "ttlSeconds", 30));
                    api.post(run.url("provenance") + "/v1/provenance", minter.agent(a), Workloads.provenanceBody(a, n));
                    requests.addAndGet(2);
                }
            }));
        }
        // measured under load: once the clients have sent a few hundred requests, or near the end of the 30 s
        org.awaitility.Awaitility.await("requests under load").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> requests.get() >= 400 || System.nanoTime() > until - Duration.ofSeconds(5).toNanos());
        Report.line("single: memory (PSS, MiB) under load (16 clients, lease grants + provenance creates): " + rss());
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    }

    static String rss() throws Exception {
        List<String> parts = new ArrayList<>();
        for (String c : run.containers()) {
            parts.add(c.substring(run.project.length() + 1).replaceAll("_1$", "") + " " + run.pssKiB(c) / 1024);
        }
        return String.join(", ", parts);
    }
}

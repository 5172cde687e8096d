package io.trustplane.provenance.bench;

import io.trustplane.testing.DevKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Manual multi-replica check (not a test): two jars on one database take concurrent creates; every create must
 * answer 201, leaf indexes must be dense and unique, and each checkpoint size must have one root. Starts and
 * stops its own jars on the machine's PostgreSQL/Redis (database trustplane_replicas_provenance, recreated).
 */
public final class TwoReplicas {

    private TwoReplicas() {
    }

    public static void main(String[] args) throws Exception {
        String db = "trustplane_replicas_provenance";
        try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                var st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + db);
        }
        DevKeys keys = DevKeys.temporary();
        int[] ports = {18182, 18183};
        List<Process> apps = new ArrayList<>();
        try {
            for (int port : ports) {
                apps.add(new ProcessBuilder("java", "-Xmx512m", "-Dquarkus.http.port=" + port,
                        "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/" + db,
                        "-Dquarkus.datasource.reactive.url=postgresql://localhost:5432/" + db,
                        "-Dquarkus.datasource.username=postgres", "-Dquarkus.redis.hosts=redis://localhost:6379",
                        "-Dmp.jwt.verify.publickey.location=" + keys.jwtPublicKeyFile().toUri(),
                        "-Dtrustplane.log.key-file=" + keys.logSigningKeyFile(),
                        "-Dtrustplane.provenance.anchor.group=provenance-replicas",
                        "-jar", "target/quarkus-app/quarkus-run.jar")
                        .redirectOutput(Path.of("target", "replica-" + port + ".log").toFile())
                        .redirectErrorStream(true).start());
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int port : ports) {
                waitUp(http, port);
            }
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int port = ports[i % 2];
                String agent = "replica-" + (i % 20);
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/provenance"))
                        .header("Authorization", "Bearer " + keys.minter().agent(agent))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"" + agent
                                + "\",\"creationType\":\"FRESH\",\"metadata\":{\"i\":" + i + "}}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            long created = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 201).count();
            try (var c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + db, "postgres", "");
                    var st = c.createStatement();
                    var rs = st.executeQuery("SELECT count(*), count(DISTINCT leaf_index), max(leaf_index) + 1,"
                            + " (SELECT count(*) FROM checkpoint), (SELECT count(DISTINCT tree_size) FROM checkpoint),"
                            + " (SELECT tree_size FROM tree_head), (SELECT count(*) FROM pending_record)"
                            + " FROM provenance_record")) {
                rs.next();
                System.out.printf("201s=%d records=%d distinctLeafIndexes=%d maxIndex+1=%d checkpoints=%d"
                        + " distinctSizes=%d head=%d pending=%d%n", created, rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
            }
        } finally {
            for (Process p : apps) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static void waitUp(HttpClient http, int port) throws Exception {
        for (int i = 0; i < 120; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("replica on " + port + " did not start");
    }
}

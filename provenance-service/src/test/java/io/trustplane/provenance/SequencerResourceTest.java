package io.trustplane.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trustplane.provenance.service.Sequencer;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.TrustplaneTestResource;
import io.trustplane.testing.log.C2spNote;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/** Group commit under concurrency, and a sequencer that stops (or loses its lock) in the middle of a load. */
@QuarkusTest
class SequencerResourceTest {

    @Inject
    Sequencer sequencer;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ConfigProperty(name = "trustplane.test.database")
    String database;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private CompletableFuture<HttpResponse<String>> post(String agent, int i) {
        String body = "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\",\"metadata\":{\"i\":" + i + "}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/provenance"))
                .header("Authorization", "Bearer " + TestKeys.tokens().agent(agent))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fiveHundredConcurrentCreatesGetConsecutiveLeavesInOneConsistentTree() throws Exception {
        C2spNote.Checkpoint before = LogAssertions.checkpoint();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(post("conc-" + (i % 25), i));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        Set<Long> indexes = new TreeSet<>();
        Set<Long> checkpointSizes = new TreeSet<>();
        String key = io.restassured.RestAssured.given().auth().oauth2(LogAssertions.operator()).get("/v1/log/key").asString();
        for (var call : calls) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonPath json = JsonPath.from(response.body());
            indexes.add(json.getLong("leafIndex"));
            long size = json.getLong("treeSize");
            checkpointSizes.add(size);
            assertThat(json.getLong("leafIndex")).isLessThan(size);
            assertThat(C2spNote.verify(json.getString("checkpoint"), key).size()).isEqualTo(size);
        }
        assertThat(indexes).hasSize(500);
        assertThat(indexes.iterator().next()).isEqualTo(before.size());
        assertThat(((TreeSet<Long>) indexes).last()).isEqualTo(before.size() + 499);
        // group commit: far fewer checkpoints (signatures) than records
        assertThat(checkpointSizes.size()).isLessThan(500);
        C2spNote.Checkpoint after = LogAssertions.assertOneConsistentTree();
        assertThat(after.size()).isGreaterThanOrEqualTo(before.size() + 500);
        assertNoForkInDatabase();
    }

    @Test
    void aSequencerRestartAndALostLockMidLoadLoseNothingAcknowledged() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        AtomicInteger acknowledged = new AtomicInteger();
        for (int i = 0; i < 300; i++) {
            CompletableFuture<HttpResponse<String>> call = post("restart-" + (i % 10), i);
            call.thenRun(acknowledged::incrementAndGet);
            calls.add(call);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= 20);
        sequencer.stop();
        // while this replica's sequencer is down, a rival holds the sequencer lock: nothing can integrate
        try (Connection rival = DriverManager.getConnection(jdbcUrl(), user(), password());
                Statement st = rival.createStatement()) {
            st.execute("SELECT pg_advisory_lock(6962)");
            sequencer.start();
            for (int i = 300; i < 350; i++) {
                calls.add(post("restart-" + (i % 10), i));
            }
            st.execute("SELECT pg_advisory_unlock(6962)");
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        Set<String> ids = new TreeSet<>();
        for (var call : calls) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            ids.add(JsonPath.from(response.body()).getString("id"));
        }
        assertThat(ids).hasSize(350);
        Set<String> inLog = LogAssertions.allRecords().stream().map(r -> (String) r.get("id")).collect(Collectors.toSet());
        assertThat(inLog).containsAll(ids);
        LogAssertions.assertOneConsistentTree();
        assertNoForkInDatabase();
    }

    private void assertNoForkInDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) AS n, count(DISTINCT leaf_index) AS d,"
                        + " coalesce(max(leaf_index) + 1, 0) AS size, (SELECT count(*) FROM pending_record) AS pending"
                        + " FROM provenance_record")) {
            rs.next();
            assertThat(rs.getLong("n")).isEqualTo(rs.getLong("d")).isEqualTo(rs.getLong("size"));
        }
    }

    private String jdbcUrl() {
        return TrustplaneTestResource.infrastructure().postgres().jdbcUrl(database);
    }

    private static String user() {
        return TrustplaneTestResource.infrastructure().postgres().user();
    }

    private static String password() {
        return TrustplaneTestResource.infrastructure().postgres().password();
    }

    @SuppressWarnings("unused")
    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}

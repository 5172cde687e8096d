package io.trustplane.provenance;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trustplane.provenance.service.Sequencer;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TrustplaneTestResource;
import io.trustplane.testing.TestKeys;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code Idempotency-Key} on {@code POST /v1/provenance}: a retry while the first attempt still waits for the
 * sequencer is a 409, a retry after it returns the same record (one leaf, not two), a reused key is a 409, and a
 * Redis restart between a request and its retry still replays (the keys live in PostgreSQL).
 */
@QuarkusTest
class IdempotencyResourceTest {

    @Inject
    Sequencer sequencer;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private CompletableFuture<HttpResponse<String>> create(String agent, String key, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/provenance"))
                .header("Authorization", "Bearer " + TestKeys.tokens().agent(agent))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDuplicateInFlightIsAConflictAndARetryAfterwardsReplaysTheSameRecord() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String body = "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\",\"metadata\":{\"n\":1}}";
        List<CompletableFuture<HttpResponse<String>>> both;
        sequencer.stop(); // the first attempt now waits for integration, holding its key
        try {
            both = List.of(create(agent, key, body), create(agent, key, body));
            await().atMost(Duration.ofSeconds(30)).until(() -> both.stream().anyMatch(CompletableFuture::isDone));
        } finally {
            sequencer.start();
        }
        HttpResponse<String> duplicate = both.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().join();
        assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(409);
        assertThat(duplicate.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.from(duplicate.body()).getString("code")).isEqualTo("idempotency_in_progress");
        assertThat(JsonPath.from(duplicate.body()).getString("errors[0].field")).isEqualTo("Idempotency-Key");
        HttpResponse<String> first = both.stream().filter(f -> f.join() != duplicate).findFirst().orElseThrow().join();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

        HttpResponse<String> replay = create(agent, key, body).join();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JsonPath.from(replay.body()).getString("id")).isEqualTo(JsonPath.from(first.body()).getString("id"));
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/provenance?agentId=" + agent).then()
                .statusCode(200).body("items.size()", equalTo(1));

        HttpResponse<String> reused = create(agent, key, body.replace("\"n\":1", "\"n\":2")).join();
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(JsonPath.from(reused.body()).getString("code")).isEqualTo("idempotency_key_reused");
    }

    @Test
    void aRetryAfterARedisRestartReplaysTheSameRecord() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String body = "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\",\"metadata\":{\"n\":1}}";
        HttpResponse<String> first = create(agent, key, body).join();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

        Infrastructure infra = TrustplaneTestResource.infrastructure();
        infra.stopRedis();
        infra.startRedis();

        HttpResponse<String> replay = create(agent, key, body).join();
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JsonPath.from(replay.body()).getString("id")).isEqualTo(JsonPath.from(first.body()).getString("id"));
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/provenance?agentId=" + agent).then()
                .statusCode(200).body("items.size()", equalTo(1));
    }
}

package io.trustplane.provenance;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trustplane.provenance.service.Sequencer;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TrustplaneTestResource;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code Idempotency-Key} on {@code POST /v1/provenance}, exact: the key is linked to the queued record in the insert's
 * transaction. A duplicate while the first attempt waits for the sequencer gets the same record, a retry after it
 * replays it (one record, not two), also after a Redis flush or restart and when the first answer was never stored;
 * the same key with another body is a 409.
 */
@QuarkusTest
class IdempotencyResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Sequencer sequencer;

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

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

    private static String body(String agent, int n) {
        return "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\",\"metadata\":{\"n\":" + n + "}}";
    }

    private long records(String agent) {
        return pool.preparedQuery("SELECT (SELECT count(*) FROM provenance_record WHERE agent_id = $1)"
                + " + (SELECT count(*) FROM pending_record WHERE agent_id = $1)").execute(Tuple.of(agent))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static void assertReused(HttpResponse<String> reused) {
        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
        assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.from(reused.body()).getString("code")).isEqualTo("idempotency_key_reused");
        assertThat(JsonPath.from(reused.body()).getString("errors[0].field")).isEqualTo("Idempotency-Key");
    }

    @Test
    void aDuplicateWhileTheFirstWaitsForTheSequencerGetsTheSameRecord() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> first;
        CompletableFuture<HttpResponse<String>> duplicate;
        sequencer.stop(); // the first attempt now waits for integration, holding its key
        try {
            first = create(agent, key, body(agent, 1));
            // its record is queued: the key was linked to it in the same transaction
            await().atMost(WAIT).until(() -> records(agent) == 1);
            UUID queued = pool.preparedQuery("SELECT id FROM pending_record WHERE agent_id = $1")
                    .execute(Tuple.of(agent)).await().atMost(WAIT).iterator().next().getUUID("id");
            // the duplicate waits for that record too, instead of creating one or answering 409
            duplicate = create(agent, key, body(agent, 1));
            await().atMost(WAIT).until(() -> sequencer.waiters().requests(queued) == 2);
        } finally {
            sequencer.start();
        }
        HttpResponse<String> one = first.join();
        HttpResponse<String> two = duplicate.join();
        assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
        assertThat(two.statusCode()).as(two.body()).isEqualTo(201);
        assertThat(two.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(JsonPath.from(two.body()).getString("id")).isEqualTo(JsonPath.from(one.body()).getString("id"));
        assertThat(records(agent)).isEqualTo(1);

        HttpResponse<String> replay = create(agent, key, body(agent, 1)).join();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(one.body());
        assertReused(create(agent, key, body(agent, 2)).join());
    }

    @Test
    void aRetryAfterARedisFlushReplaysTheSameRecordAndAnotherBodyIsAConflict() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = create(agent, key, body(agent, 1)).join();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);

        redis.execute("FLUSHALL").await().atMost(WAIT);

        HttpResponse<String> replay = create(agent, key, body(agent, 1)).join();
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(records(agent)).isEqualTo(1);
        assertReused(create(agent, key, body(agent, 2)).join());
        assertThat(records(agent)).isEqualTo(1);
    }

    /**
     * What a process stopped after the insert's commit and before the answer leaves behind: the key, linked to the
     * queued record, without an answer, its pending time long over. The retry answers from that record.
     */
    @Test
    void aKeyLinkedButNeverAnsweredAnswersFromItsRecordAndCreatesNothing() throws Exception {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = create(agent, key, body(agent, 1)).join();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String id = JsonPath.from(first.body()).getString("id");
        // the stored key is SHA-256 of caller, newline, key (docs/security.md)
        String stored = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((agent + "\n" + key).getBytes(StandardCharsets.UTF_8)));
        int unanswered = pool.preparedQuery("UPDATE idempotency_keys SET status = NULL, content_type = NULL, body = NULL,"
                        + " location = $2, pending_until = now() - interval '1 hour' WHERE key = $1")
                .execute(Tuple.of(stored, id)).await().atMost(WAIT).rowCount();
        assertThat(unanswered).isEqualTo(1);

        HttpResponse<String> retry = create(agent, key, body(agent, 1)).join();
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        assertThat(JsonPath.from(retry.body()).getString("id")).isEqualTo(id);
        assertThat(JsonPath.from(retry.body()).getLong("leafIndex"))
                .isEqualTo(JsonPath.from(first.body()).getLong("leafIndex"));
        assertThat(JsonPath.from(retry.body()).getString("leafHash"))
                .isEqualTo(JsonPath.from(first.body()).getString("leafHash"));
        assertThat(JsonPath.from(retry.body()).getString("checkpoint"))
                .isEqualTo(JsonPath.from(first.body()).getString("checkpoint"));
        assertThat(records(agent)).isEqualTo(1);
        // its answer is stored now: the next retry replays it
        HttpResponse<String> replay = create(agent, key, body(agent, 1)).join();
        assertThat(replay.body()).isEqualTo(retry.body());
        assertReused(create(agent, key, body(agent, 2)).join());
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

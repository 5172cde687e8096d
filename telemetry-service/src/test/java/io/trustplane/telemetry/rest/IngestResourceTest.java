package io.trustplane.telemetry.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.StreamConsumer;
import io.trustplane.common.events.Streams;
import io.trustplane.telemetry.events.IngestConsumer;
import io.trustplane.telemetry.service.IngestQueue;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.awaitProcessed;
import static io.trustplane.telemetry.TestSupport.publishUnknown;
import static io.trustplane.telemetry.TestSupport.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Stream ingest (claiming a dead consumer's entries, exactly-once effect) and HTTP ingest with backpressure. */
@QuarkusTest
class IngestResourceTest {

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    RedisDataSource redis;
    @Inject
    IngestConsumer consumer;
    @Inject
    IngestQueue queue;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void entriesPendingOnAKilledConsumerAreClaimedAndProcessedOnce() {
        consumer.stop();
        Set<String> seenByDead = ConcurrentHashMap.newKeySet();
        List<EventEnvelope> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                sent.add(publishUnknown(publisher, "test.claimed", "claim-agent", Map.of("n", i)));
            }
            // the same event delivered twice (a producer retry) must count once
            publisher.publish(Streams.EVENTS, sent.get(0)).await().atMost(Duration.ofSeconds(5));
            // a second group member reads the batch and dies before acknowledging anything
            StreamConsumer dead = new StreamConsumer(redis, publisher, Streams.EVENTS, "telemetry-service",
                    "dead-member", 100, Duration.ofMillis(200), Duration.ofHours(1), (entryId, event) -> {
                        seenByDead.add(entryId);
                        throw new IllegalStateException("killed mid-batch");
                    });
            dead.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> seenByDead.size() == 6);
            dead.close();
            assertThat(pendingOf("dead-member")).isEqualTo(6);
            assertThat(counter("events.test.claimed")).isZero();
        } finally {
            consumer.start();
        }
        awaitProcessed(pool, sent);
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingOf("dead-member") == 0);
        assertThat(counter("events.test.claimed")).isEqualTo(5);
    }

    @Test
    void aFloodPastTheQueueBoundGets429AndNothingAcceptedIsLost() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = TestKeys.tokens().agent("flood-agent");
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        int requests = 12;
        int linesPerRequest = 10; // queue bound in tests: 50 lines
        try (AutoCloseable held = queue.holdWriter()) {
            for (int r = 0; r < requests; r++) {
                StringBuilder body = new StringBuilder();
                for (int l = 0; l < linesPerRequest; l++) {
                    body.append("{\"id\":\"f-").append(r).append('-').append(l)
                            .append("\",\"name\":\"flood_test\",\"value\":1}\n");
                }
                responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/events"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // while the writer is held, everything beyond the bound is refused at once
            await().atMost(Duration.ofSeconds(20)).until(() -> responses.stream().filter(CompletableFuture::isDone).count()
                    >= requests - 5);
        }
        int accepted = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : responses) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 202) {
                accepted++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        ct -> assertThat(ct).startsWith("application/problem+json"));
                assertThat(r.body()).contains("ingest_queue_full");
                refused++;
            }
        }
        assertThat(accepted).isEqualTo(5);
        assertThat(refused).isEqualTo(requests - 5);
        // every acknowledged line is stored, once
        assertThat(counter("flood_test", "flood-agent")).isEqualTo((long) accepted * linesPerRequest);
        assertThat(counter("flood_test")).as("an agent's own lines stay out of the global series").isZero();
        assertThat(scalar(pool, "SELECT count(*) FROM processed_events WHERE event_id LIKE 'counter:flood-agent:f-%'"))
                .isEqualTo((long) accepted * linesPerRequest);
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("telemetry_ingest_overflow_total"));
    }

    @Test
    void counterLinesAreValidatedIdempotentAndOnlyForTheCallerItself() {
        String agent = TestKeys.tokens().agent("agent-9");
        String json = "{\"counters\":[{\"id\":\"once-1\",\"name\":\"own_counter\",\"value\":3,\"tags\":{\"phase\":\"PLAN\"}}]}";
        given().auth().oauth2(agent).contentType("application/json").body(json).post("/v1/events").then()
                .statusCode(202).body("accepted", equalTo(1)).body("agentId", equalTo("agent-9"));
        given().auth().oauth2(agent).contentType("application/json").body(json).post("/v1/events").then()
                .statusCode(202); // a retry of the same line id
        given().auth().oauth2(agent).get("/v1/counters/own_counter").then().statusCode(200)
                .body("value", equalTo(3)).body("agentId", equalTo("agent-9"));

        given().auth().oauth2(agent).contentType("application/json")
                .body("{\"agentId\":\"agent-8\",\"counters\":[{\"name\":\"x\",\"value\":1}]}")
                .post("/v1/events").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(agent).contentType("application/json")
                .body("{\"counters\":[{\"name\":\"Bad Name\",\"value\":1}]}")
                .post("/v1/events").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("counters[0].name"));
        given().auth().oauth2(agent).contentType("application/json")
                .body("{\"counters\":[{\"name\":\"x\",\"value\":-1}]}")
                .post("/v1/events").then().statusCode(400).body("errors[0].field", equalTo("counters[0].value"));
        given().auth().oauth2(agent).contentType("application/x-ndjson")
                .body("{\"name\":\"x\",\"value\":1}\n{\"name\":\"x\",\"value\":\"many\"}\n".getBytes())
                .post("/v1/events").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("lines[2]"));
        given().auth().oauth2(agent).contentType("application/x-ndjson")
                .body("{\"name\":\"x\",\"value\":1,\"timestamp\":\"2001-01-01T00:00:00Z\"}\n".getBytes())
                .post("/v1/events").then().statusCode(400).body("errors[0].field", equalTo("lines[1].timestamp"));
        given().auth().oauth2(agent).get("/v1/counters/x").then().statusCode(200).body("value", equalTo(0));
        given().contentType("application/json").body(json).post("/v1/events").then().statusCode(401);
    }

    private long counter(String name) {
        return counter(name, "");
    }

    private long counter(String name, String agentId) {
        return scalar(pool, "SELECT coalesce(sum(value), 0) FROM counter_buckets WHERE name = $1 AND agent_id = $2",
                name, agentId);
    }

    private long pendingOf(String member) {
        var pending = redis.stream(String.class).xpending(Streams.EVENTS, "telemetry-service");
        Long n = pending.getConsumers().get(member);
        return n == null ? 0 : n;
    }
}

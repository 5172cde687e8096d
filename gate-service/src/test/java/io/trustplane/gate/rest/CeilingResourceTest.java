package io.trustplane.gate.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.Streams;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TrustplaneTestResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Ceilings against real Redis: exactly the limit is granted under concurrency, the window slides, WARNING and
 * VIOLATION thresholds, and a stopped Redis fails closed with a 503 problem until it is back.
 * Test-profile resource types: QUOTA50 (VERIFIED limit 50, 10 min window) and BURST (VERIFIED limit 10, 3 s window).
 */
@QuarkusTest
class CeilingResourceTest extends GateTestSupport {

    @TestHTTPResource("/v1/ceiling/check")
    URL checkUrl;

    static Map<String, Object> body(String agentId, String type, long amount, String tier) {
        Map<String, Object> body = new HashMap<>();
        body.put("agentId", agentId);
        body.put("resourceType", type);
        body.put("requestedAmount", amount);
        if (tier != null) {
            body.put("tier", tier);
        }
        return body;
    }

    static io.restassured.response.ValidatableResponse check(String token, Map<String, Object> body) {
        return as(token).body(body).post("/v1/ceiling/check").then();
    }

    @Test
    void hundredConcurrentChecksAgainstALimitOfFiftyAllowExactlyFifty() throws Exception {
        String id = unique("conc");
        register(id, 500);
        String token = agent(id);
        String json = "{\"agentId\":\"" + id + "\",\"resourceType\":\"QUOTA50\",\"requestedAmount\":1,\"tier\":\"VERIFIED\"}";
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(checkUrl.toString()))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int allowed = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> r = call.get();
            assertThat(r.statusCode()).isEqualTo(200);
            if (r.body().contains("\"allowed\":true")) {
                allowed++;
            } else {
                assertThat(r.body()).contains("\"status\":\"VIOLATION\"");
                refused++;
            }
        }
        assertThat(allowed).isEqualTo(50);
        assertThat(refused).isEqualTo(50);
        check(token, body(id, "QUOTA50", 1, null)).statusCode(200).body("allowed", equalTo(false))
                .body("used", equalTo(50)).body("remaining", equalTo(0)).body("limit", equalTo(50));
    }

    @Test
    void warningAtEightyPercentAndViolationRefuses() {
        String id = unique("thr");
        register(id, 500);
        String token = agent(id);
        check(token, body(id, "QUOTA50", 39, "VERIFIED")).statusCode(200).body("allowed", equalTo(true))
                .body("status", equalTo("COMPLIANT")).body("used", equalTo(39)).body("limit", equalTo(50))
                .body("remaining", equalTo(11)).body("resetAt", notNullValue());
        check(token, body(id, "QUOTA50", 1, "T2")).body("allowed", equalTo(true)).body("status", equalTo("WARNING"))
                .body("used", equalTo(40));
        check(token, body(id, "QUOTA50", 10, null)).body("allowed", equalTo(true)).body("status", equalTo("WARNING"))
                .body("used", equalTo(50)).body("remaining", equalTo(0));
        check(token, body(id, "QUOTA50", 1, null)).body("allowed", equalTo(false)).body("status", equalTo("VIOLATION"))
                .body("used", equalTo(50)).body("reason", notNullValue());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events(Streams.EVENTS, "\"subject\":\"" + id + "\""))
                    .anyMatch(e -> e.contains("\"ceiling.warning\""))
                    .anyMatch(e -> e.contains("\"ceiling.breach\""));
            assertThat(events(Streams.EVENTS, "\"subject\":\"" + id + "\""))
                    .filteredOn(e -> e.contains("\"ceiling.warning\"")).hasSize(1);
        });
        // the registered tier decides: a BASIC agent claiming VERIFIED gets BASIC's limit (none for QUOTA50)
        String basic = unique("basic");
        register(basic, 300);
        check(agent(basic), body(basic, "QUOTA50", 1, "VERIFIED")).body("allowed", equalTo(false))
                .body("limit", equalTo(0)).body("tier", equalTo("BASIC"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(Streams.EVENTS, "\"subject\":\"" + basic + "\""))
                        .anyMatch(e -> e.contains("\"gaming.signal\"") && e.contains("BOUNDARY_TESTING")));
    }

    @Test
    void theWindowSlides() {
        String id = unique("slide");
        register(id, 500);
        String token = agent(id);
        check(token, body(id, "BURST", 10, null)).body("allowed", equalTo(true)).body("used", equalTo(10));
        String resetAt = check(token, body(id, "BURST", 1, null)).body("allowed", equalTo(false))
                .extract().path("resetAt");
        assertThat(Instant.parse(resetAt)).isAfter(Instant.now().minusSeconds(1));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                check(token, body(id, "BURST", 4, null)).body("allowed", equalTo(true)).body("used", equalTo(4)));
        check(token, body(id, "BURST", 6, null)).body("allowed", equalTo(true)).body("used", equalTo(10));
        check(token, body(id, "BURST", 1, null)).body("allowed", equalTo(false));
    }

    @Test
    void redisDownFailsClosedWith503AndRecovers() {
        String id = unique("down");
        register(id, 500);
        String token = agent(id);
        check(token, body(id, "API_CALLS", 1, null)).statusCode(200).body("allowed", equalTo(true));
        Infrastructure infra = TrustplaneTestResource.infrastructure();
        infra.stopRedis();
        try {
            check(token, body(id, "API_CALLS", 1, null)).statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("code", equalTo("ceiling_store_unavailable")).body("status", equalTo(503));
        } finally {
            infra.startRedis();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                check(token, body(id, "API_CALLS", 1, null)).statusCode(200).body("allowed", equalTo(true))
                        .body("used", greaterThan(0)));
    }

    @Test
    void aCeilingSurvivesARedisRestart() {
        String id = unique("restart");
        register(id, 500);
        String token = agent(id);
        check(token, body(id, "QUOTA50", 50, null)).statusCode(200).body("allowed", equalTo(true))
                .body("used", equalTo(50));
        check(token, body(id, "QUOTA50", 1, null)).statusCode(200).body("status", equalTo("VIOLATION"));
        Infrastructure infra = TrustplaneTestResource.infrastructure();
        // the same server, data directory and port: what it kept is its append-only file
        infra.stopRedis();
        infra.startRedis();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                check(token, body(id, "QUOTA50", 1, null)).statusCode(200).body("allowed", equalTo(false))
                        .body("status", equalTo("VIOLATION")).body("used", equalTo(50)));
    }

    @Test
    void aFrozenRedisAnswers503WithRetryAfterAndTheServiceRecovers() throws Exception {
        String id = unique("frozen");
        register(id, 500);
        String token = agent(id);
        check(token, body(id, "API_CALLS", 1, null)).statusCode(200).body("allowed", equalTo(true));
        Infrastructure infra = TrustplaneTestResource.infrastructure();
        String json = "{\"agentId\":\"" + id + "\",\"resourceType\":\"API_CALLS\",\"requestedAmount\":1}";
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> answer;
        infra.freezeRedis();
        try {
            // generous: the deadline (quarkus.redis.timeout, 2 s) must end the call, not this client; an unbounded
            // call waits for the socket and fails this request with HttpTimeoutException
            answer = client.send(HttpRequest.newBuilder(URI.create(checkUrl.toString()))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            infra.thawRedis();
        }
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.body()).contains("\"code\":\"ceiling_store_unavailable\"");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                check(token, body(id, "API_CALLS", 1, null)).statusCode(200).body("allowed", equalTo(true)));
    }

    @Test
    void badInputAndOtherAgentsIds() {
        String id = unique("cbad");
        register(id, 500);
        String token = agent(id);
        check(token, body(id, "QUOTA50", 0, null)).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("requestedAmount"));
        check(token, body(id, "QUOTA50", -5, null)).statusCode(400).body("errors.field", hasItem("requestedAmount"));
        check(token, body(id, "QUOTA50", 1, "T7")).statusCode(400).body("errors.field", hasItem("tier"));
        check(token, Map.of("agentId", id, "requestedAmount", 1)).statusCode(400).body("errors.field", hasItem("resourceType"));
        check(token, Map.of("resourceType", "QUOTA50", "requestedAmount", 1)).statusCode(400)
                .body("errors.field", hasItem("agentId"));
        check(token, body(id, "NOT_CONFIGURED", 1, null)).statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("unknown_resource_type")).body("errors[0].field", equalTo("resourceType"));
        check(token, body(unique("someone-else"), "QUOTA50", 1, null)).statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
        // nothing was consumed by the refused requests
        check(token, body(id, "QUOTA50", 1, null)).body("used", equalTo(1));
    }
}

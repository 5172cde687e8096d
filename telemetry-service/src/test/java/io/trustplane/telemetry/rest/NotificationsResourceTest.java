package io.trustplane.telemetry.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.telemetry.service.WebhookSigner;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.exec;
import static io.trustplane.telemetry.TestSupport.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

/** Notifications against a real local HTTP receiver (JDK HttpServer on a free port, allow-listed for tests). */
@QuarkusTest
class NotificationsResourceTest {

    record Received(String path, String signature, String body) {
    }

    static final String SECRET = "whsec-0123456789abcdef";

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    String base;

    @BeforeEach
    void startReceiver() throws Exception {
        exec(pool, "DELETE FROM subscriptions");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst(WebhookSigner.HEADER),
                    body));
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopReceiver() {
        exec(pool, "DELETE FROM subscriptions");
        server.stop(0);
    }

    @Test
    void webhookIsSignedAndTheReceiverVerifiesTheHmac() throws Exception {
        String id = subscribe("{\"name\":\"hook\",\"kind\":\"WEBHOOK\",\"url\":\"" + base + "/hook\",\"secret\":\"" + SECRET
                + "\",\"eventTypes\":[\"alert.*\",\"notification.test\"]}");
        given().auth().oauth2(TestKeys.tokens().admin()).post("/v1/subscriptions/" + id + "/test").then()
                .statusCode(200).body("outcome", equalTo("DELIVERED")).body("attempts", equalTo(1))
                .body("httpStatus", equalTo(200));
        assertThat(received).hasSize(1);
        assertSignedWith(SECRET, received.get(0));

        // a real alert reaches the webhook too, signed
        publish(publisher, "gaming.signal", "notify-agent", Map.of("signal", "CEILING_BREACH"));
        await().atMost(Duration.ofSeconds(15)).until(() -> received.stream().anyMatch(r -> r.body().contains("alert.created")));
        Received alert = received.stream().filter(r -> r.body().contains("alert.created")).findFirst().orElseThrow();
        assertSignedWith(SECRET, alert);
        assertThat(mapper.readTree(alert.body()).path("data").path("fingerprint").asText())
                .isEqualTo("gaming:CEILING_BREACH:notify-agent");
        // a wrong secret does not verify
        assertThat(verifies("not-the-secret", alert)).isFalse();
    }

    @Test
    void failingReceiverSeesRetriesAndTheSubscriptionIsDisabledAfterFiveFailures() {
        status.set(500);
        String id = subscribe("{\"name\":\"broken\",\"kind\":\"WEBHOOK\",\"url\":\"" + base + "/broken\",\"secret\":\""
                + SECRET + "\",\"eventTypes\":[\"notification.test\"]}");
        String admin = TestKeys.tokens().admin();
        for (int i = 1; i <= 5; i++) {
            given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(200)
                    .body("outcome", equalTo("FAILED")).body("attempts", equalTo(3)).body("httpStatus", equalTo(500));
        }
        assertThat(received).hasSize(15); // 1 try + 2 retries per delivery
        given().auth().oauth2(admin).get("/v1/subscriptions/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("consecutiveFailures", equalTo(5));
        given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("subscription_disabled"));
        given().auth().oauth2(admin).get("/v1/subscriptions/" + id + "/deliveries").then().statusCode(200)
                .body("items", hasSize(5)).body("items.outcome.unique()", equalTo(List.of("FAILED")));

        status.set(200);
        given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/enable").then().statusCode(200)
                .body("enabled", equalTo(true)).body("consecutiveFailures", equalTo(0));
        given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(200)
                .body("outcome", equalTo("DELIVERED"));
    }

    @Test
    void slackAndPagerDutyBodiesHaveTheDocumentedFields() throws Exception {
        String admin = TestKeys.tokens().admin();
        String slack = subscribe("{\"name\":\"slack\",\"kind\":\"SLACK\",\"url\":\"" + base + "/slack\",\"eventTypes\":[\"*\"]}");
        String pd = subscribe("{\"name\":\"pd\",\"kind\":\"PAGERDUTY\",\"url\":\"" + base + "/pd\",\"secret\":\"routing-key-0123456789\",\"eventTypes\":[\"*\"]}");
        given().auth().oauth2(admin).post("/v1/subscriptions/" + slack + "/test").then().statusCode(200);
        given().auth().oauth2(admin).post("/v1/subscriptions/" + pd + "/test").then().statusCode(200);
        var slackBody = mapper.readTree(received.stream().filter(r -> r.path().equals("/slack")).findFirst().orElseThrow().body());
        assertThat(slackBody.path("text").asText()).contains("Trustplane test notification");
        assertThat(slackBody.path("blocks").get(0).path("type").asText()).isEqualTo("section");
        assertThat(slackBody.path("blocks").get(0).path("text").path("type").asText()).isEqualTo("mrkdwn");
        var pdBody = mapper.readTree(received.stream().filter(r -> r.path().equals("/pd")).findFirst().orElseThrow().body());
        assertThat(pdBody.path("routing_key").asText()).isEqualTo("routing-key-0123456789");
        assertThat(pdBody.path("event_action").asText()).isEqualTo("trigger");
        assertThat(pdBody.path("dedup_key").asText()).isNotBlank();
        assertThat(pdBody.path("payload").path("summary").asText()).isEqualTo("Trustplane test notification");
        assertThat(pdBody.path("payload").path("severity").asText()).isEqualTo("info");
        assertThat(pdBody.path("payload").path("source").asText()).isEqualTo("telemetry-service");
        assertThat(pdBody.path("payload").has("timestamp")).isTrue();
    }

    @Test
    void secretsAreWriteOnlyAndBadInputNamesTheField() {
        String admin = TestKeys.tokens().admin();
        String id = subscribe("{\"name\":\"hook\",\"kind\":\"WEBHOOK\",\"url\":\"" + base + "/h\",\"secret\":\"" + SECRET + "\"}");
        given().auth().oauth2(admin).get("/v1/subscriptions/" + id).then().statusCode(200)
                .body("secretSet", equalTo(true)).body("$", not(hasKey("secret")));
        given().auth().oauth2(admin).get("/v1/subscriptions").then().statusCode(200)
                .body(not(org.hamcrest.Matchers.containsString(SECRET)));
        post("{\"name\":\"x\",\"kind\":\"WEBHOOK\",\"url\":\"" + base + "/h\"}", 400, "secret");
        post("{\"name\":\"x\",\"kind\":\"CARRIER_PIGEON\",\"url\":\"" + base + "/h\"}", 400, "kind");
        post("{\"name\":\"x\",\"kind\":\"SLACK\",\"url\":\"ftp://example.org/x\"}", 400, "url");
        post("{\"name\":\"x\",\"kind\":\"SLACK\",\"url\":\"http://10.1.2.3/x\"}", 422, "url");
        post("{\"name\":\"\",\"kind\":\"SLACK\",\"url\":\"" + base + "/h\"}", 400, "name");
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/subscriptions").then().statusCode(403);
        given().auth().oauth2(admin).get("/v1/subscriptions").then().statusCode(200).body("$", hasSize(1));
    }

    private void post(String body, int expected, String field) {
        given().auth().oauth2(TestKeys.tokens().admin()).contentType("application/json").body(body)
                .post("/v1/subscriptions").then().statusCode(expected).contentType("application/problem+json")
                .body("errors[0].field", equalTo(field));
    }

    private String subscribe(String body) {
        return given().auth().oauth2(TestKeys.tokens().admin()).contentType("application/json").body(body)
                .post("/v1/subscriptions").then().statusCode(201).extract().path("id");
    }

    private static void assertSignedWith(String secret, Received r) {
        assertThat(r.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
        assertThat(verifies(secret, r)).isTrue();
    }

    /** What a receiver does: recompute HMAC-SHA256(secret, "<t>.<body>") and compare with v1. */
    private static boolean verifies(String secret, Received r) {
        String[] parts = r.signature().split(",");
        String t = parts[0].substring(2);
        String v1 = parts[1].substring(3);
        // recomputed here with the JDK's Mac, not with the signer under test
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8));
            return java.security.MessageDigest.isEqual(java.util.HexFormat.of().parseHex(v1), expected);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}

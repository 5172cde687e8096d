package io.trustplane.telemetry.rest;

import io.trustplane.common.events.DomainEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.telemetry.WebhookReceiver;
import io.trustplane.telemetry.WebhookReceiver.Received;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
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

    static final String SECRET = "whsec-0123456789abcdef";

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper mapper;
    @Inject
    io.trustplane.telemetry.ProgrammableResolver dns;

    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = WebhookReceiver.start(pool);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void webhookIsSignedAndTheReceiverVerifiesTheHmac() throws Exception {
        String id = subscribe("{\"name\":\"hook\",\"kind\":\"WEBHOOK\",\"url\":\"" + receiver.base() + "/hook\",\"secret\":\"" + SECRET
                + "\",\"eventTypes\":[\"alert.*\",\"notification.test\"]}");
        given().auth().oauth2(TestKeys.tokens().admin()).post("/v1/subscriptions/" + id + "/test").then()
                .statusCode(200).body("outcome", equalTo("DELIVERED")).body("attempts", equalTo(1))
                .body("httpStatus", equalTo(200));
        // only the test notification counts here: an alert left over from an earlier test of this application may
        // reach the new subscription (it takes alert.*) at any moment
        List<Received> tests = receiver.received.stream().filter(r -> r.body().contains("notification.test")).toList();
        assertThat(tests).hasSize(1);
        assertSignedWith(SECRET, tests.get(0));

        // a real alert reaches the webhook too, signed
        publish(publisher, "notify-agent",
                new DomainEvent.GamingSignal("CEILING_BREACH", null, null, null, null, null));
        // this agent's alert, not an earlier test's that its grouping interval delivers late to this subscription
        String fingerprint = "gaming:CEILING_BREACH:notify-agent";
        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received.stream()
                .anyMatch(r -> r.body().contains("alert.created") && r.body().contains(fingerprint)));
        Received alert = receiver.received.stream()
                .filter(r -> r.body().contains("alert.created") && r.body().contains(fingerprint)).findFirst().orElseThrow();
        assertSignedWith(SECRET, alert);
        assertThat(mapper.readTree(alert.body()).path("data").path("fingerprint").asText()).isEqualTo(fingerprint);
        // a wrong secret does not verify
        assertThat(verifies("not-the-secret", alert)).isFalse();
    }

    @Test
    void aNameThatRebindsToLoopbackAfterSubscribingIsCheckedAgainAtEverySendAndReceivesNothing() {
        // issue 18.2: the URL was checked only when subscribing; a name that then resolved to 127.0.0.1 got three
        // POSTs delivered to a loopback receiver, and the delivery log showed what that receiver answered
        receiver.status.set(418); // what a probed internal port would say: must not reach the log
        int port = receiver.port();
        dns.answer("rebind.test", "93.184.215.14");
        String admin = TestKeys.tokens().admin();
        try {
            String id = subscribe("{\"name\":\"rebind\",\"kind\":\"WEBHOOK\",\"url\":\"http://rebind.test:" + port
                    + "/rebind\",\"secret\":\"" + SECRET + "\",\"eventTypes\":[\"notification.test\"]}");
            dns.answer("rebind.test", "127.0.0.1");
            String answer = given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then()
                    .statusCode(200).body("outcome", equalTo("FAILED")).body("attempts", equalTo(0))
                    .body("httpStatus", org.hamcrest.Matchers.nullValue()).extract().path("error");
            // the error text, not the whole answer: its random event id may contain the digits 418
            assertThat(answer).contains("not globally reachable").doesNotContain("418")
                    .doesNotContain("Connection refused");
            // and again: the answer may change on every lookup, every send checks it
            dns.answer("rebind.test", "93.184.215.14", "10.0.0.1");
            given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(200)
                    .body("outcome", equalTo("FAILED")).body("attempts", equalTo(0));
            assertThat(receiver.received).as("nothing reached the loopback receiver").isEmpty();
            io.restassured.path.json.JsonPath log = given().auth().oauth2(admin).get("/v1/subscriptions/" + id
                    + "/deliveries").then().statusCode(200).body("items", hasSize(2)).extract().jsonPath();
            assertThat(log.getList("items.httpStatus")).containsOnlyNulls();
            assertThat(log.getList("items.error", String.class)).allSatisfy(e -> assertThat(e).doesNotContain("418"));
            // a literal IPv4-compatible, IPv4-mapped or NAT64 spelling of loopback is refused when subscribing
            for (String host : List.of("[::127.0.0.1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]", "100.64.0.1",
                    "198.18.0.1")) {
                post("{\"name\":\"x\",\"kind\":\"SLACK\",\"url\":\"http://" + host + ":" + port + "/x\"}", 422, "url");
            }
        } finally {
            dns.forget("rebind.test");
        }
    }

    @Test
    void theDeliveryConnectsToTheAddressTheGuardCheckedAndSendsTheUrlsHost() {
        // pinned.test is allow-listed for tests and known only to the test resolver: a second lookup through the
        // system's DNS would fail, so a delivery proves the connection went to the checked address
        int port = receiver.port();
        dns.answer("pinned.test", "127.0.0.1");
        try {
            String id = subscribe("{\"name\":\"pinned\",\"kind\":\"WEBHOOK\",\"url\":\"http://pinned.test:" + port
                    + "/pinned?x=1\",\"secret\":\"" + SECRET + "\",\"eventTypes\":[\"notification.test\"]}");
            given().auth().oauth2(TestKeys.tokens().admin()).post("/v1/subscriptions/" + id + "/test").then()
                    .statusCode(200).body("outcome", equalTo("DELIVERED")).body("httpStatus", equalTo(200));
            assertThat(receiver.received).hasSize(1);
            assertThat(receiver.received.get(0).path()).isEqualTo("/pinned");
            assertThat(receiver.received).extracting(Received::host).containsExactly("pinned.test:" + port);
            assertSignedWith(SECRET, receiver.received.get(0));
        } finally {
            dns.forget("pinned.test");
        }
    }

    @Test
    void failingReceiverSeesRetriesAndTheSubscriptionIsDisabledAfterFiveFailures() {
        receiver.status.set(500);
        String id = subscribe("{\"name\":\"broken\",\"kind\":\"WEBHOOK\",\"url\":\"" + receiver.base() + "/broken\",\"secret\":\""
                + SECRET + "\",\"eventTypes\":[\"notification.test\"]}");
        String admin = TestKeys.tokens().admin();
        for (int i = 1; i <= 5; i++) {
            given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(200)
                    .body("outcome", equalTo("FAILED")).body("attempts", equalTo(3)).body("httpStatus", equalTo(500));
        }
        assertThat(receiver.received).hasSize(15); // 1 try + 2 retries per delivery
        given().auth().oauth2(admin).get("/v1/subscriptions/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("consecutiveFailures", equalTo(5));
        given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("subscription_disabled"));
        given().auth().oauth2(admin).get("/v1/subscriptions/" + id + "/deliveries").then().statusCode(200)
                .body("items", hasSize(5)).body("items.outcome.unique()", equalTo(List.of("FAILED")));

        receiver.status.set(200);
        given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/enable").then().statusCode(200)
                .body("enabled", equalTo(true)).body("consecutiveFailures", equalTo(0));
        given().auth().oauth2(admin).post("/v1/subscriptions/" + id + "/test").then().statusCode(200)
                .body("outcome", equalTo("DELIVERED"));
    }

    @Test
    void slackAndPagerDutyBodiesHaveTheDocumentedFields() throws Exception {
        String admin = TestKeys.tokens().admin();
        String slack = subscribe("{\"name\":\"slack\",\"kind\":\"SLACK\",\"url\":\"" + receiver.base() + "/slack\",\"eventTypes\":[\"*\"]}");
        String pd = subscribe("{\"name\":\"pd\",\"kind\":\"PAGERDUTY\",\"url\":\"" + receiver.base() + "/pd\",\"secret\":\"routing-key-0123456789\",\"eventTypes\":[\"*\"]}");
        given().auth().oauth2(admin).post("/v1/subscriptions/" + slack + "/test").then().statusCode(200);
        given().auth().oauth2(admin).post("/v1/subscriptions/" + pd + "/test").then().statusCode(200);
        var slackBody = mapper.readTree(receiver.received.stream().filter(r -> r.path().equals("/slack")).findFirst().orElseThrow().body());
        assertThat(slackBody.path("text").asText()).contains("Trustplane test notification");
        assertThat(slackBody.path("blocks").get(0).path("type").asText()).isEqualTo("section");
        assertThat(slackBody.path("blocks").get(0).path("text").path("type").asText()).isEqualTo("mrkdwn");
        var pdBody = mapper.readTree(receiver.received.stream().filter(r -> r.path().equals("/pd")).findFirst().orElseThrow().body());
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
        String id = subscribe("{\"name\":\"hook\",\"kind\":\"WEBHOOK\",\"url\":\"" + receiver.base() + "/h\",\"secret\":\"" + SECRET + "\"}");
        given().auth().oauth2(admin).get("/v1/subscriptions/" + id).then().statusCode(200)
                .body("secretSet", equalTo(true)).body("$", not(hasKey("secret")));
        given().auth().oauth2(admin).get("/v1/subscriptions").then().statusCode(200)
                .body(not(org.hamcrest.Matchers.containsString(SECRET)));
        post("{\"name\":\"x\",\"kind\":\"WEBHOOK\",\"url\":\"" + receiver.base() + "/h\"}", 400, "secret");
        post("{\"name\":\"x\",\"kind\":\"CARRIER_PIGEON\",\"url\":\"" + receiver.base() + "/h\"}", 400, "kind");
        post("{\"name\":\"x\",\"kind\":\"SLACK\",\"url\":\"ftp://example.org/x\"}", 400, "url");
        post("{\"name\":\"x\",\"kind\":\"SLACK\",\"url\":\"http://10.1.2.3/x\"}", 422, "url");
        post("{\"name\":\"\",\"kind\":\"SLACK\",\"url\":\"" + receiver.base() + "/h\"}", 400, "name");
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

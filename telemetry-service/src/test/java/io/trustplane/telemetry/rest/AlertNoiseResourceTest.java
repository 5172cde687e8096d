package io.trustplane.telemetry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Streams;
import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.service.GamingService;
import io.trustplane.telemetry.domain.gaming.GamingType;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.WebhookReceiver;
import io.trustplane.testing.TestKeys;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.exec;
import static io.trustplane.telemetry.TestSupport.publish;
import static io.trustplane.telemetry.TestSupport.publishMany;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Alerts worth waking up for: a ratio rule waits for its minimum sample, an open alert counts new incidents rather
 * than rule passes, one refused ceiling request is MEDIUM and repetition makes it HIGH, silences stop notifications
 * (not alerts) until they end, and alerts of one kind and agent inside the group interval leave as one message.
 */
@QuarkusTest
class AlertNoiseResourceTest extends AlertRuleTests {

    @Inject
    GamingService gaming;
    @Inject
    ObjectMapper mapper;
    @Inject
    MeterRegistry registry;
    @Inject
    RedisDataSource redis;

    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        exec(pool, "DELETE FROM counter_buckets");
        receiver = WebhookReceiver.start(pool);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aRatioRuleWaitsForItsMinimumSampleAndCountsIncidentsNotPasses() {
        String rule = "noise-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestKeys.tokens().admin()).contentType("application/json")
                .body(Map.of("id", rule, "name", "Half of all transitions fail", "kind", "RATIO",
                        "counter", "evidence_gate_failed", "denominator", "evidence_gate_checked",
                        "windowSeconds", 3600, "threshold", 0.5, "severity", "HIGH"))
                .post("/v1/alert-rules").then().statusCode(201);

        // every attempt fails, but 1 and then 19 attempts are below the default minimum sample of 20
        settle(List.of(publish(publisher, "noise-agent", new DomainEvent.EvidenceGateFailed("T-noise", "PLAN", "THINK", List.of("plan")))));
        assertThat(engine.evaluateAll()).doesNotContain(rule);
        settle(publishMany(publisher, 18, "noise-agent", new DomainEvent.EvidenceGateFailed("T-noise", "PLAN", "THINK", List.of("plan"))));
        assertThat(engine.evaluateAll()).doesNotContain(rule);
        assertThat(open("rule:" + rule)).isEmpty();

        // the 20th attempt reaches the sample: the rule fires once
        settle(List.of(publish(publisher, "noise-agent", new DomainEvent.EvidenceGateFailed("T-noise", "PLAN", "THINK", List.of("plan")))));
        assertThat(engine.evaluateAll()).contains(rule);
        Alert first = open("rule:" + rule).orElseThrow();
        assertThat(first.occurrences()).isEqualTo(1);
        assertThat(first.details()).containsEntry("value", 20).containsEntry("denominatorValue", 20);

        // more passes over the same window are not more incidents
        for (int i = 0; i < 3; i++) {
            assertThat(engine.evaluateAll()).contains(rule);
        }
        assertThat(open("rule:" + rule).orElseThrow().occurrences()).isEqualTo(1);

        // a new failure is
        settle(List.of(publish(publisher, "noise-agent", new DomainEvent.EvidenceGateFailed("T-noise", "PLAN", "THINK", List.of("plan")))));
        engine.evaluateAll();
        engine.evaluateAll();
        Alert after = open("rule:" + rule).orElseThrow();
        assertThat(after.id()).isEqualTo(first.id());
        assertThat(after.occurrences()).isEqualTo(2);
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/alerts/" + first.id()).then().statusCode(200)
                .body("occurrences", equalTo(2));
        given().auth().oauth2(TestKeys.tokens().admin()).delete("/v1/alert-rules/" + rule).then().statusCode(204);
    }

    @Test
    void oneRefusedCeilingRequestIsMediumAndRepetitionMakesItHigh() {
        String agent = "noise-ceiling-" + UUID.randomUUID().toString().substring(0, 8);
        DomainEvent breach = new DomainEvent.CeilingBreach("API_CALLS", 1, 1001, 1000, "BASIC");
        settle(List.of(publish(publisher, agent, breach)));
        assertThat(gaming.evaluate(agent)).contains(GamingType.CEILING_BREACH);
        Alert once = open(GamingType.CEILING_BREACH.fingerprint(agent)).orElseThrow();
        assertThat(once.severity()).isEqualTo(Severity.MEDIUM);

        settle(publishMany(publisher, 2, agent, breach));
        gaming.evaluate(agent);
        Alert repeated = open(GamingType.CEILING_BREACH.fingerprint(agent)).orElseThrow();
        assertThat(repeated.id()).isEqualTo(once.id());
        assertThat(repeated.severity()).isEqualTo(Severity.HIGH);

        // a claimed tier above the registered one stays a MEDIUM boundary test
        settle(List.of(publish(publisher, agent, new DomainEvent.GamingSignal("BOUNDARY_TESTING",
                "claimed tier above registered", null, null, null, null))));
        assertThat(open(GamingType.BOUNDARY_TESTING.fingerprint(agent)).orElseThrow().severity())
                .isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aSilenceStopsNotificationsNotAlertsUntilItEnds() {
        subscribe();
        String agent = "noise-silenced-" + UUID.randomUUID().toString().substring(0, 8);
        String operator = TestKeys.tokens().operator();
        String silence = given().auth().oauth2(operator).contentType("application/json")
                .body(Map.of("agentId", agent, "comment", "maintenance of " + agent,
                        "endsAt", Instant.now().plus(Duration.ofHours(1)).toString()))
                .post("/v1/silences").then().statusCode(201).body("state", equalTo("ACTIVE"))
                .body("createdBy", equalTo("operator-1")).extract().path("id");

        double silencedBefore = silenced();
        settle(List.of(publish(publisher, agent, new DomainEvent.GamingSignal("CEILING_BREACH", null, null, null, null, null))));
        Alert recorded = open(GamingType.CEILING_BREACH.fingerprint(agent)).orElseThrow();
        // the dispatcher counts the silenced notification once it has decided not to send it
        await().atMost(Duration.ofSeconds(15)).until(() -> silenced() > silencedBefore);
        assertThat(receivedFor(agent)).isEmpty();
        given().auth().oauth2(operator).get("/v1/alerts/" + recorded.id()).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));

        given().auth().oauth2(operator).delete("/v1/silences/" + silence).then().statusCode(200)
                .body("state", equalTo("EXPIRED"));
        given().auth().oauth2(operator).delete("/v1/silences/" + silence).then().statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(operator).get("/v1/silences/" + silence).then().statusCode(200)
                .body("history.action", equalTo(List.of("CREATED", "EXPIRED")))
                .body("history.actor", equalTo(List.of("operator-1", "operator-1")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(anchored(silence))
                .anyMatch(e -> e.contains("\"silence.created\"")).anyMatch(e -> e.contains("\"silence.expired\"")));

        // after the silence, the next alert of the agent reaches the receiver
        publish(publisher, agent, new DomainEvent.GamingSignal("BOUNDARY_TESTING", "probe", null, null, null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> !receivedFor(agent).isEmpty());
        assertThat(receivedFor(agent)).extracting(n -> n.path("data").path("kind").asText())
                .containsExactly("BOUNDARY_TESTING");
    }

    @Test
    void alertsOfOneKindAndAgentInsideTheIntervalLeaveAsOneMessage() {
        subscribe();
        String agent = "noise-grouped-" + UUID.randomUUID().toString().substring(0, 8);
        String operator = TestKeys.tokens().operator();
        settle(List.of(publish(publisher, agent, new DomainEvent.GamingSignal("CEILING_BREACH", null, null, null, null, null))));
        Alert alert = open(GamingType.CEILING_BREACH.fingerprint(agent)).orElseThrow();
        await().atMost(Duration.ofSeconds(15)).until(() -> receivedFor(agent).size() == 1);
        given().auth().oauth2(operator).contentType("application/json")
                .body(Map.of("status", "INVESTIGATING", "reason", "looking")).patch("/v1/alerts/" + alert.id())
                .then().statusCode(200);
        given().auth().oauth2(operator).contentType("application/json")
                .body(Map.of("status", "RESOLVED", "reason", "done")).patch("/v1/alerts/" + alert.id())
                .then().statusCode(200);
        // the two changes inside the group interval (15 s in tests) arrive together when it ends
        await().atMost(Duration.ofSeconds(40)).until(() -> receivedFor(agent).size() >= 2);
        List<JsonNode> got = receivedFor(agent);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).path("type").asText()).isEqualTo("alert.created");
        JsonNode digest = got.get(1);
        assertThat(digest.path("type").asText()).isEqualTo("alert.resolved");
        assertThat(digest.path("data").path("groupedCount").asInt()).isEqualTo(2);
        assertThat(digest.path("data").path("alertIds").get(0).asText()).isEqualTo(alert.id());
    }

    @Test
    void badSilencesAreProblemsNamingTheField() {
        String operator = TestKeys.tokens().operator();
        String later = Instant.now().plus(Duration.ofHours(1)).toString();
        Map<String, Map<String, Object>> bad = Map.of(
                "comment", Map.of("agentId", "a", "endsAt", later),
                "endsAt", Map.of("agentId", "a", "comment", "c", "endsAt", "tomorrow"),
                "severity", Map.of("severity", "LOUD", "comment", "c", "endsAt", later),
                "agentId", Map.of("agentId", "has spaces", "comment", "c", "endsAt", later));
        bad.forEach((field, body) -> given().auth().oauth2(operator).contentType("application/json").body(body)
                .post("/v1/silences").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field)));
        given().auth().oauth2(operator).contentType("application/json")
                .body(Map.of("comment", "everything", "endsAt", later)).post("/v1/silences").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("kind"));
        given().auth().oauth2(operator).contentType("application/json")
                .body(Map.of("kind", "CEILING_BREACH", "comment", "c", "endsAt", "2020-01-01T00:00:00Z"))
                .post("/v1/silences").then().statusCode(422).body("errors.field", hasItem("endsAt"));
        given().auth().oauth2(operator).delete("/v1/silences/not-a-uuid").then().statusCode(400)
                .body("errors.field", hasItem("id"));
        given().auth().oauth2(TestKeys.tokens().agent("noise-agent")).contentType("application/json")
                .body(Map.of("agentId", "noise-agent", "comment", "hush", "endsAt", later))
                .post("/v1/silences").then().statusCode(403);
    }

    @Test
    void anUnsupportedMediaTypeNamesWhatToSend() {
        given().auth().oauth2(TestKeys.tokens().operator()).contentType("text/plain").body("hush")
                .post("/v1/silences").then().statusCode(415).contentType("application/problem+json")
                .body("errors.field", hasItem("Content-Type")).body("accepted", equalTo(List.of("application/json")))
                .body("detail", equalTo("Content-Type must be application/json"));
        given().auth().oauth2(TestKeys.tokens().admin()).contentType("text/csv").body("a,b")
                .post("/v1/events").then().statusCode(415).contentType("application/problem+json")
                .body("accepted", equalTo(List.of("application/json", "application/x-ndjson")));
    }

    private void subscribe() {
        given().auth().oauth2(TestKeys.tokens().admin()).contentType("application/json")
                .body("{\"name\":\"noise\",\"kind\":\"WEBHOOK\",\"url\":\"" + receiver.base() + "/hook\",\"secret\":"
                        + "\"whsec-0123456789abcdef\",\"eventTypes\":[\"alert.*\"]}")
                .post("/v1/subscriptions").then().statusCode(201);
    }

    private List<JsonNode> receivedFor(String agent) {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.received) {
            JsonNode n = json(r.body());
            if (agent.equals(n.path("data").path("agentId").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private JsonNode json(String body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double silenced() {
        var c = registry.find("telemetry_notifications_silenced_total").counter();
        return c == null ? 0 : c.count();
    }

    private List<String> anchored(String needle) {
        return redis.stream(String.class).xrevrange(Streams.ANCHOR, StreamRange.of("+", "-"), 5000).stream()
                .map(StreamMessage::payload).map(p -> p.get("event")).filter(e -> e != null && e.contains(needle))
                .toList();
    }
}

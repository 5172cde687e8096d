package io.trustplane.telemetry.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.telemetry.repository.AlertRepository;
import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.service.GamingService;
import io.trustplane.telemetry.domain.gaming.GamingType;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.awaitProcessed;
import static io.trustplane.telemetry.TestSupport.publish;
import static io.trustplane.telemetry.TestSupport.publishMany;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/** Gaming detectors on crafted histories, and the alert lifecycle with history, dedup and anchoring. */
@QuarkusTest
class GamingAndAlertsResourceTest {

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    GamingService gaming;
    @Inject
    AlertRepository alerts;
    @Inject
    RedisDataSource redis;

    @Test
    void rapidChangeOnAScoreJumpNotOnAModestOne() {
        scores("g-rapid-quiet", 500, 640);
        assertThat(gaming.evaluate("g-rapid-quiet")).doesNotContain(GamingType.RAPID_CHANGE);
        scores("g-rapid", 500, 560, 700);
        assertThat(gaming.evaluate("g-rapid")).contains(GamingType.RAPID_CHANGE);
        assertThat(open(GamingType.RAPID_CHANGE, "g-rapid")).isPresent();
        assertThat(open(GamingType.RAPID_CHANGE, "g-rapid-quiet")).isEmpty();
    }

    @Test
    void oscillationOnFourReversalsNotThree() {
        scores("g-osc-quiet", 500, 560, 500, 560, 500);
        assertThat(gaming.evaluate("g-osc-quiet")).doesNotContain(GamingType.OSCILLATION);
        scores("g-osc", 500, 560, 500, 560, 500, 560);
        assertThat(gaming.evaluate("g-osc")).contains(GamingType.OSCILLATION);
    }

    @Test
    void boundaryTestingFromDenialsAndFromGateSignals() {
        List<EventEnvelope> sent = new ArrayList<>(publishMany(publisher, 3, "g-bound-quiet", denied()));
        sent.add(publish(publisher, "g-bound-quiet", warning()));
        awaitProcessed(pool, sent); // 4 probes: below 5
        assertThat(gaming.evaluate("g-bound-quiet")).doesNotContain(GamingType.BOUNDARY_TESTING);

        awaitProcessed(pool, publishMany(publisher, 5, "g-bound", denied()));
        assertThat(gaming.evaluate("g-bound")).contains(GamingType.BOUNDARY_TESTING);

        awaitProcessed(pool, List.of(publish(publisher, "g-bound-signal", new DomainEvent.GamingSignal(
                "BOUNDARY_TESTING", "claimed tier above registered", "ev-2", "TRUSTED", "BASIC", null))));
        Alert fromGate = open(GamingType.BOUNDARY_TESTING, "g-bound-signal").orElseThrow();
        assertThat(fromGate.details()).containsEntry("origin", "gaming.signal");
    }

    @Test
    void ceilingBreachOnABreachNotOnWarnings() {
        awaitProcessed(pool, publishMany(publisher, 2, "g-ceil-quiet", warning()));
        assertThat(gaming.evaluate("g-ceil-quiet")).doesNotContain(GamingType.CEILING_BREACH);
        awaitProcessed(pool, List.of(publish(publisher, "g-ceil",
                new DomainEvent.CeilingBreach("API_CALLS", 2, 1001, 1000, "BASIC"))));
        assertThat(gaming.evaluate("g-ceil")).contains(GamingType.CEILING_BREACH);
    }

    @Test
    void lifecycleWithHistoryRefusedMovesDedupAndAnchoring() {
        String agent = "life-1";
        awaitProcessed(pool, List.of(publish(publisher, agent, signal("CEILING_BREACH"))));
        Alert alert = open(GamingType.CEILING_BREACH, agent).orElseThrow();
        // a recurrence while open is the same alert, counted
        awaitProcessed(pool, List.of(publish(publisher, agent, signal("CEILING_BREACH"))));
        Alert again = open(GamingType.CEILING_BREACH, agent).orElseThrow();
        assertThat(again.id()).isEqualTo(alert.id());
        assertThat(again.occurrences()).isEqualTo(2);

        String operator = TestKeys.tokens().operator();
        String path = "/v1/alerts/" + alert.id();
        // bad input names the field and changes nothing
        given().auth().oauth2(operator).contentType("application/json").body("{\"status\":\"BOGUS\",\"reason\":\"x\"}")
                .patch(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(operator).contentType("application/json").body("{\"status\":\"INVESTIGATING\"}")
                .patch(path).then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType("application/json")
                .body("{\"status\":\"RESOLVED\",\"reason\":\"me\"}").patch(path).then().statusCode(403);
        given().auth().oauth2(operator).get("/v1/alerts/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(operator).get("/v1/alerts/0190a2b4-0000-7000-8000-000000000000").then().statusCode(404);

        // back to ACTIVE is an illegal move like any other: 409 invalid_transition, never 422
        given().auth().oauth2(operator).contentType("application/json")
                .body("{\"status\":\"ACTIVE\",\"reason\":\"reopen\"}")
                .patch(path).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("invalid_transition")).body("currentStatus", equalTo("ACTIVE"));
        given().auth().oauth2(operator).contentType("application/json")
                .body("{\"status\":\"INVESTIGATING\",\"reason\":\"looking at the agent's quota\"}")
                .patch(path).then().statusCode(200).body("status", equalTo("INVESTIGATING"));
        given().auth().oauth2(operator).contentType("application/json")
                .body("{\"status\":\"RESOLVED\",\"reason\":\"quota corrected\"}")
                .patch(path).then().statusCode(200).body("status", equalTo("RESOLVED"));
        given().auth().oauth2(operator).contentType("application/json")
                .body("{\"status\":\"INVESTIGATING\",\"reason\":\"reopen\"}")
                .patch(path).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("invalid_transition")).body("currentStatus", equalTo("RESOLVED"));

        given().auth().oauth2(operator).get(path).then().statusCode(200)
                .body("status", equalTo("RESOLVED"))
                .body("history", hasSize(3))
                .body("history[0].to", equalTo("ACTIVE"))
                .body("history[1].from", equalTo("ACTIVE")).body("history[1].to", equalTo("INVESTIGATING"))
                .body("history[1].actor", equalTo("operator-1")).body("history[1].reason", equalTo("looking at the agent's quota"))
                .body("history[1].at", notNullValue())
                .body("history[2].to", equalTo("RESOLVED"));

        // every state change is anchored
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> types = new ArrayList<>();
            for (StreamMessage<String, String, String> m : redis.stream(String.class)
                    .xrange(Streams.ANCHOR, StreamRange.of("-", "+"))) {
                EventEnvelope e = publisher.fromJson(m.payload().get(Streams.FIELD));
                if (alert.id().equals(e.data().get("alertId"))) {
                    types.add(e.type());
                }
            }
            assertThat(types).containsExactly("alert.created", "alert.updated", "alert.resolved");
        });

        // a recurrence after resolution opens a new alert
        awaitProcessed(pool, List.of(publish(publisher, agent, signal("CEILING_BREACH"))));
        assertThat(open(GamingType.CEILING_BREACH, agent).orElseThrow().id()).isNotEqualTo(alert.id());
    }

    @Test
    void listingFiltersAndPagesByCursor() {
        for (int i = 0; i < 3; i++) {
            awaitProcessed(pool, List.of(publish(publisher, "page-agent", signal(GamingType.values()[i].name()))));
        }
        String operator = TestKeys.tokens().operator();
        String first = given().auth().oauth2(operator).queryParam("agentId", "page-agent").queryParam("limit", 2)
                .get("/v1/alerts").then().statusCode(200).body("items", hasSize(2))
                .extract().path("nextCursor");
        given().auth().oauth2(operator).queryParam("agentId", "page-agent").queryParam("limit", 2)
                .queryParam("cursor", first).get("/v1/alerts").then().statusCode(200).body("items", hasSize(1));
        given().auth().oauth2(operator).queryParam("status", "ACTIVE").queryParam("severity", "HIGH")
                .queryParam("agentId", "page-agent").get("/v1/alerts").then().statusCode(200)
                .body("items.severity.unique()", equalTo(List.of("HIGH")));
        given().auth().oauth2(operator).queryParam("status", "NOPE").get("/v1/alerts").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(operator).queryParam("limit", 0).get("/v1/alerts").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(operator).queryParam("cursor", "zzz").get("/v1/alerts").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        // an agent sees only its own alerts
        given().auth().oauth2(TestKeys.tokens().agent("page-agent")).get("/v1/alerts").then().statusCode(200)
                .body("items.agentId.unique()", equalTo(List.of("page-agent")));
        given().auth().oauth2(TestKeys.tokens().agent("other")).queryParam("agentId", "page-agent")
                .get("/v1/alerts").then().statusCode(403);
    }

    private void scores(String agent, int... values) {
        List<EventEnvelope> sent = new ArrayList<>();
        for (int v : values) {
            sent.add(publish(publisher, agent, new DomainEvent.AgentScoreChanged(v, v, "VERIFIED", false)));
        }
        awaitProcessed(pool, sent);
    }

    private Optional<Alert> open(GamingType type, String agent) {
        return alerts.findByFingerprint(type.fingerprint(agent)).await().atMost(Duration.ofSeconds(5))
                .filter(a -> a.status().isOpen());
    }

    private static DomainEvent denied() {
        return new DomainEvent.RoleGateDenied("ev-1", "ADMIN", "DENY", "KERNEL", "role needs a higher tier",
                "kernel-tier", 1, null, "BASIC", null, null, null, null);
    }

    private static DomainEvent warning() {
        return new DomainEvent.CeilingWarning("API_CALLS", 10, 850, 1000, "BASIC");
    }

    private static DomainEvent signal(String type) {
        // gate-service leaves the reason empty only in tests; the consumer then names the producer
        return new DomainEvent.GamingSignal(type, null, null, null, null, null);
    }
}

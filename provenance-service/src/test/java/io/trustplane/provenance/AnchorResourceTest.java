package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.testing.TestKeys;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tp:anchor in (idempotent by event id), provenance.created and checkpoint.published out on tp:events. */
@QuarkusTest
class AnchorResourceTest {

    @Inject
    EventPublisher publisher;

    @Inject
    RedisDataSource redis;

    private List<Map<String, Object>> imported(String agent) {
        return given().auth().oauth2(LogAssertions.operator()).queryParam("agentId", agent)
                .queryParam("creationType", "IMPORTED").get("/v1/provenance").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    @Test
    void anchoredEventsBecomeImportedLeavesExactlyOnce() {
        String agent = "anchored-" + System.nanoTime();
        EventEnvelope decision = EventEnvelope.of("gate.decided", "gate-service", agent,
                Map.of("decision", "ALLOW", "ruleId", "r-1"));
        publisher.publish(Streams.ANCHOR, decision).await().atMost(Duration.ofSeconds(5));
        publisher.publish(Streams.ANCHOR, decision).await().atMost(Duration.ofSeconds(5)); // redelivery
        EventEnvelope later = EventEnvelope.of("alert.changed", "telemetry-service", agent, Map.of("status", "RESOLVED"));
        publisher.publish(Streams.ANCHOR, later).await().atMost(Duration.ofSeconds(5));

        // entries are handled in order: once the later one is in the log, the duplicate has been handled too
        await().atMost(Duration.ofSeconds(30)).until(() -> imported(agent).size() >= 2);
        List<Map<String, Object>> records = imported(agent);
        assertThat(records).hasSize(2);
        JsonPath first = JsonPath.from(given().auth().oauth2(LogAssertions.operator())
                .get("/v1/provenance/" + records.get(0).get("id")).asString());
        assertThat(first.getString("metadata.kind")).isEqualTo("anchor");
        assertThat(first.getString("metadata.event.id")).isEqualTo(decision.id());
        assertThat(first.getString("metadata.event.data.decision")).isEqualTo("ALLOW");
        assertThat(first.getString("contentHash")).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void createEmitsProvenanceCreatedAndCheckpointPublished() {
        String id = given().auth().oauth2(TestKeys.tokens().agent("events-1")).contentType(ContentType.JSON)
                .body("{\"agentId\":\"events-1\",\"creationType\":\"FRESH\"}").post("/v1/provenance")
                .then().statusCode(201).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> events = redis.stream(String.class).xrange(Streams.EVENTS,
                            io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))
                    .stream().map(m -> m.payload().get(Streams.FIELD)).toList();
            assertThat(events).anySatisfy(e -> assertThat(e).contains("\"type\":\"provenance.created\"")
                    .contains("\"id\":\"" + id + "\"").contains("\"subject\":\"events-1\""));
            assertThat(events).anySatisfy(e -> assertThat(e).contains("\"type\":\"checkpoint.published\""));
        });
    }
}

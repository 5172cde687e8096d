package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.trustplane.common.events.AnchorAuth;
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
        EventEnvelope decision = tagged(EventEnvelope.of("gate.decided", "gate-service", agent,
                Map.of("decision", "ALLOW", "ruleId", "r-1")), "gate-service");
        publisher.publish(Streams.ANCHOR, decision).await().atMost(Duration.ofSeconds(5));
        publisher.publish(Streams.ANCHOR, decision).await().atMost(Duration.ofSeconds(5)); // redelivery
        EventEnvelope later = tagged(EventEnvelope.of("alert.changed", "telemetry-service", agent,
                Map.of("status", "RESOLVED")), "telemetry-service");
        publisher.publish(Streams.ANCHOR, later).await().atMost(Duration.ofSeconds(5));

        // entries are handled in order: once the later one is in the log, the duplicate has been handled too
        await().atMost(Duration.ofSeconds(30)).until(() -> imported(agent).size() >= 2);
        List<Map<String, Object>> records = imported(agent);
        assertThat(records).hasSize(2);
        JsonPath first = JsonPath.from(given().auth().oauth2(LogAssertions.operator())
                .get("/v1/provenance/" + records.get(0).get("id")).asString());
        assertThat(first.getString("metadata.kind")).isEqualTo("anchor");
        assertThat(first.getString("metadata.submitter")).isEqualTo("gate-service");
        assertThat(first.getString("metadata.event.id")).isEqualTo(decision.id());
        assertThat(first.getString("metadata.event.data.decision")).isEqualTo("ALLOW");
        assertThat(first.getString("contentHash")).matches("sha256:[0-9a-f]{64}");
    }

    /** The entry as its producer tags it, with the producer's key from the test keys directory. */
    private EventEnvelope tagged(EventEnvelope event, String keyOf) {
        return event.withAuth(AnchorAuth.tag(TestKeys.keys().anchorKey(keyOf),
                AnchorAuth.signedBytes(event, publisher::toJson)));
    }

    @Test
    void forgedEntriesWrittenStraightIntoRedisAreNotAppended() {
        String agent = "forged-" + System.nanoTime();
        Map<String, Object> data = Map.of("taskId", "T-forged", "seq", 1, "hash", "00".repeat(32));
        EventEnvelope untagged = EventEnvelope.of("ledger.appended", "lease-service", agent, data);
        EventEnvelope wrongKey = tagged(EventEnvelope.of("ledger.appended", "lease-service", agent, data), "gate-service");
        EventEnvelope unknownProducer = EventEnvelope.of("ledger.appended", "agent-tool", agent, data)
                .withAuth("AAAA");
        EventEnvelope genuine = tagged(EventEnvelope.of("ledger.appended", "lease-service", agent, data), "lease-service");
        EventEnvelope altered = new EventEnvelope(genuine.id() + "0", genuine.type(), genuine.source(),
                genuine.subject(), genuine.time(), Map.of("taskId", "T-forged", "seq", 2, "hash", "11".repeat(32)),
                genuine.auth()); // a real tag on other content
        // written with raw XADD: what anyone with write access to Redis can do
        for (EventEnvelope e : List.of(untagged, wrongKey, unknownProducer, altered, genuine)) {
            redis.stream(String.class).xadd(Streams.ANCHOR, Map.of(Streams.FIELD, publisher.toJson(e)));
        }
        // handled in order: once the genuine entry is in the log, the forged ones before it have been handled
        await().atMost(Duration.ofSeconds(30)).until(() -> !imported(agent).isEmpty());
        List<Map<String, Object>> records = imported(agent);
        assertThat(records).hasSize(1);
        JsonPath only = JsonPath.from(given().auth().oauth2(LogAssertions.operator())
                .get("/v1/provenance/" + records.get(0).get("id")).asString());
        assertThat(only.getString("metadata.event.id")).isEqualTo(genuine.id());
        assertThat(only.getString("metadata.submitter")).isEqualTo("lease-service");
    }

    @Test
    void anAgentsRecordCannotPassForAnAnchor() {
        String token = TestKeys.tokens().agent("claims-1");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"agentId\":\"claims-1\",\"creationType\":\"IMPORTED\",\"metadata\":{\"kind\":\" Anchor\"}}")
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("metadata.kind"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"agentId\":\"claims-1\",\"creationType\":\"IMPORTED\",\"metadata\":{\"source\":\"lease-service\"}}")
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("metadata.source"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"agentId\":\"claims-1\",\"creationType\":\"FRESH\",\"metadata\":{\"event\":{\"source\":\"lease-service\"}}}")
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("metadata.event"));
        // its own source, or none, is fine
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"agentId\":\"claims-1\",\"creationType\":\"IMPORTED\",\"metadata\":{\"source\":\"claims-1\"}}")
                .post("/v1/provenance").then().statusCode(201);
        assertThat(imported("claims-1")).allSatisfy(r -> assertThat(String.valueOf(r.get("metadata"))).doesNotContain("anchor"));
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

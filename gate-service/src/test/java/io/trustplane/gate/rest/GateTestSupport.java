package io.trustplane.gate.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.trustplane.testing.TestKeys;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Shared helpers of the gate-service resource tests: tokens, agent registration, reading emitted events. */
public abstract class GateTestSupport {

    @Inject
    RedisDataSource redis;

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static String admin() {
        return TestKeys.tokens().admin();
    }

    public static String operator() {
        return TestKeys.tokens().operator();
    }

    public static String service() {
        return TestKeys.tokens().service();
    }

    public static String agent(String id) {
        return TestKeys.tokens().agent(id);
    }

    public static ValidatableResponse register(String agentId, int score, String... frameworks) {
        return as(operator()).body(Map.of("trustScore", score, "frameworks", List.of(frameworks),
                        "attributes", Map.of("team", "tests")))
                .put("/v1/agents/" + agentId).then().statusCode(200);
    }

    /** JSON envelopes on {@code stream} whose text contains {@code needle}, newest first. */
    List<String> events(String stream, String needle) {
        return redis.stream(String.class).xrevrange(stream, StreamRange.of("+", "-"), 5000).stream()
                .map(StreamMessage::payload).map(p -> p.get("event")).filter(e -> e != null && e.contains(needle))
                .toList();
    }
}

package io.trustplane.gate.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TrustplaneTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.trustplane.gate.rest.GateTestSupport.agent;
import static io.trustplane.gate.rest.GateTestSupport.as;
import static io.trustplane.gate.rest.RoleGateResourceTest.evaluate;
import static io.trustplane.gate.rest.GateTestSupport.operator;
import static io.trustplane.gate.rest.GateTestSupport.register;
import static io.trustplane.gate.rest.GateTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The droppable decision events (role_gate.allowed) across a Redis outage: decisions go on, the bounded buffer
 * keeps what fits and drains when Redis returns, and the figures add up: every decision produced is either on the
 * stream or counted as dropped, exactly. The buffer is made small (40) so the outage overflows it.
 */
@QuarkusTest
@TestProfile(DecisionEventsResourceTest.SmallBuffer.class)
class DecisionEventsResourceTest {

    static final int BUFFER = 40;
    static final int DECISIONS = 100;

    /** A buffer of {@link #BUFFER} events. */
    public static class SmallBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trustplane.gate.events.buffer", Integer.toString(BUFFER));
        }
    }

    @Inject
    RedisDataSource redis;
    @Inject
    EventPublisher codec;

    private long figure(String name) {
        return ((Number) as(operator()).get("/v1/stats").then().statusCode(200).extract()
                .path("decisionEvents." + name)).longValue();
    }

    private long allowedOnStream(String agentId) {
        return redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+"), 1_000_000).stream()
                .map(StreamMessage::payload).map(p -> codec.fromJson(p.get(Streams.FIELD)))
                .filter(e -> "role_gate.allowed".equals(e.type()) && agentId.equals(e.subject())).count();
    }

    @Test
    void decisionsDuringARedisOutageAreDeliveredOrCountedAsDroppedExactly() {
        String id = unique("outage");
        register(id, 500);
        Map<String, Object> body = Map.of("agentId", id, "role", "DATA_ANALYST",
                "context", Map.of("resourceId", "dataset_001", "action", "read"));
        await().atMost(Duration.ofSeconds(30)).until(() -> figure("pending") == 0);
        long produced = figure("produced");
        long delivered = figure("delivered");
        long dropped = figure("dropped");

        Infrastructure infra = TrustplaneTestResource.infrastructure();
        infra.stopRedis();
        try {
            for (int i = 0; i < DECISIONS; i++) {
                evaluate(agent(id), body).statusCode(200).body("decision", equalTo("ALLOW"));
            }
            assertThat(figure("produced") - produced).isEqualTo(DECISIONS);
            assertThat(figure("pending")).isEqualTo(BUFFER);
            assertThat(figure("dropped") - dropped).isEqualTo(DECISIONS - BUFFER);
        } finally {
            infra.startRedis();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> figure("pending") == 0);
        assertThat(figure("delivered") - delivered).isEqualTo(BUFFER);
        assertThat(figure("produced") - produced)
                .isEqualTo(figure("delivered") - delivered + figure("dropped") - dropped);
        // the restarted Redis is empty: what is on the stream now is what the buffer kept and drained
        assertThat(allowedOnStream(id)).isEqualTo(BUFFER);
    }
}

package io.trustplane.lease.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.trustplane.common.events.Streams;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static io.trustplane.lease.rest.LeaseApi.acquire;
import static io.trustplane.lease.rest.LeaseApi.fencing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Expiry by PostgreSQL's clock, the fencing consequences, and the notices pushed to SSE subscribers. */
@QuarkusTest
class ExpiryResourceTest {

    @Inject
    RedisDataSource redis;

    /** An open SSE connection collecting its lines. */
    static final class Subscription implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Stream<String> stream;

        Subscription(String token) throws Exception {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/leases/events"))
                            .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).get();
            assertThat(response.statusCode()).isEqualTo(200);
            stream = response.body();
            Thread reader = new Thread(() -> {
                try {
                    stream.forEach(lines::add);
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> saw("subscribed"));
        }

        boolean saw(String... parts) {
            return lines.stream().anyMatch(l -> Stream.of(parts).allMatch(l::contains));
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    @Test
    void anExpiredLeaseLosesItsTokenANewAcquirerGetsALargerOneAndSubscribersAreTold() throws Exception {
        String task = LeaseApi.newTaskId();
        try (Subscription holder = new Subscription(LeaseApi.agent("agent-exp"));
                Subscription bystander = new Subscription(LeaseApi.agent("agent-bystander"));
                Subscription operator = new Subscription(LeaseApi.TOKENS.operator())) {
            var granted = acquire("agent-exp", task, "VERIFY", 1).statusCode(201).extract();
            String leaseId = granted.path("leaseId");
            long token = ((Number) granted.path("fencingToken")).longValue();

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    fencing(task, "VERIFY", token).statusCode(200).body("current", equalTo(false)));
            long next = ((Number) acquire("agent-next", task, "VERIFY", 60).statusCode(201)
                    .extract().path("fencingToken")).longValue();
            assertThat(next).isGreaterThan(token);
            fencing(task, "VERIFY", next).statusCode(200).body("current", equalTo(true));

            await().atMost(Duration.ofSeconds(15)).until(() -> holder.saw("lease.expired", leaseId));
            await().atMost(Duration.ofSeconds(15)).until(() -> operator.saw("lease.expired", leaseId));
            await().atMost(Duration.ofSeconds(15)).until(() -> redis.stream(String.class)
                    .xrange(Streams.EVENTS, StreamRange.of("-", "+"), 1_000_000).stream()
                    .map(StreamMessage::payload).map(Map::values).flatMap(java.util.Collection::stream)
                    .anyMatch(json -> json.contains("\"lease.expired\"") && json.contains(leaseId)));

            // an operator takes the next lease away with a reason: its holder hears lease.lost, the ledger records it
            String nextLease = given().auth().oauth2(LeaseApi.agent("agent-next")).queryParam("taskId", task)
                    .when().get("/v1/leases").then().statusCode(200).extract().path("[0].leaseId");
            try (Subscription nextHolder = new Subscription(LeaseApi.agent("agent-next"))) {
                given().auth().oauth2(LeaseApi.TOKENS.operator()).contentType("application/json")
                        .body(Map.of("reason", "agent stuck in a loop"))
                        .when().post("/v1/leases/" + nextLease + "/force-release").then().statusCode(200)
                        .body("status", equalTo("FORCE_RELEASED"));
                await().atMost(Duration.ofSeconds(15)).until(() -> nextHolder.saw("lease.lost", nextLease));
            }
            fencing(task, "VERIFY", next).statusCode(200).body("current", equalTo(false));
            given().auth().oauth2(LeaseApi.TOKENS.operator()).when().get("/v1/tasks/" + task + "/ledger")
                    .then().statusCode(200)
                    .body("entries.kind", hasItem("LEASE_FORCE_RELEASED"))
                    .body("entries.data.reason", hasItem("agent stuck in a loop"));
            given().auth().oauth2(LeaseApi.TOKENS.operator()).when().get("/v1/tasks/" + task + "/ledger/verify")
                    .then().statusCode(200).body("valid", equalTo(true));

            // a notice published by another replica reaches this replica's subscribers, once per notice id
            redis.pubsub(String.class).publish("tp:lease:notices", "{\"id\":\"other-replica-1\",\"type\":"
                    + "\"lease.lost\",\"leaseId\":\"from-other-replica\",\"holder\":\"agent-exp\"}");
            await().atMost(Duration.ofSeconds(15)).until(() -> holder.saw("lease.lost", "from-other-replica"));
            assertThat(holder.lines.stream().filter(l -> l.contains("lease.expired") && l.contains(leaseId)))
                    .hasSize(1);
            assertThat(bystander.saw("from-other-replica")).isFalse();
            assertThat(bystander.saw(leaseId)).isFalse();
            assertThat(bystander.saw(nextLease)).isFalse();
        }
    }
}

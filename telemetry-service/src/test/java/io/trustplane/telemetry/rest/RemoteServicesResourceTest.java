package io.trustplane.telemetry.rest;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.telemetry.service.RolloutGuard;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.awaitProcessed;
import static io.trustplane.telemetry.TestSupport.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Suite health, stats and the rollout guard against fake lease/provenance/gate services served by a local JDK
 * HttpServer (each service's base URL is a path prefix on it); the telemetry URL points at a closed port.
 */
@QuarkusTest
@TestProfile(RemoteServicesResourceTest.FakeServices.class)
class RemoteServicesResourceTest {

    static final int PORT = Infrastructure.sharedFreePort("trustplane.test.fake-services-port");
    static final int CLOSED_PORT = Infrastructure.sharedFreePort("trustplane.test.closed-port");
    static HttpServer server;
    static final List<String> rollbacks = new CopyOnWriteArrayList<>();

    /** Points trustplane.services.* at the fake server and sets a service token. */
    public static class FakeServices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String base = "http://127.0.0.1:" + PORT;
            return Map.of("trustplane.services.lease", base + "/lease",
                    "trustplane.services.provenance", base + "/provenance",
                    "trustplane.services.gate", base + "/gate",
                    "trustplane.services.telemetry", "http://127.0.0.1:" + CLOSED_PORT,
                    "trustplane.service-token", "test-service-token",
                    // the classification by checks is under test here, not by latency (HealthStatusTest has that): a
                    // first poll slowed by a busy host must not turn the healthy fake into a degraded one
                    "trustplane.telemetry.suite-health.degraded-latency", "PT30S",
                    "trustplane.telemetry.suite-health.timeout", "PT20S");
        }
    }

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    RolloutGuard guard;

    @BeforeAll
    static void startFakes() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        server.createContext("/lease/q/health/ready", ex -> respond(ex, 200,
                "{\"status\":\"UP\",\"checks\":[{\"name\":\"Database\",\"status\":\"UP\"}]}"));
        server.createContext("/provenance/q/health/ready", ex -> respond(ex, 503,
                "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"Database\",\"status\":\"UP\"},{\"name\":\"Redis\",\"status\":\"DOWN\"}]}"));
        server.createContext("/provenance/v1/log/checkpoint", ex -> respond(ex, 200, "trustplane/log\n42\nAAAA\n\n— sig\n"));
        server.createContext("/gate/q/health/ready", ex -> respond(ex, 500, "{}"));
        server.createContext("/gate/v1/flags/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            rollbacks.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + ex.getRequestHeaders().getFirst("Authorization") + " " + body);
            respond(ex, 200, "{}");
        });
        server.start();
    }

    @AfterAll
    static void stopFakes() {
        server.stop(0);
    }

    @Test
    void suiteHealthClassifiesEachServiceAndSummarises() {
        String operator = TestKeys.tokens().operator();
        given().auth().oauth2(operator).get("/v1/health/suite").then().statusCode(200)
                .body("services.size()", equalTo(4));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(operator)
                .get("/v1/health/suite").then().statusCode(200)
                .body("services.find { it.name == 'lease-service' }.status", equalTo("healthy"))
                .body("services.find { it.name == 'provenance-service' }.status", equalTo("degraded"))
                .body("services.find { it.name == 'gate-service' }.status", equalTo("unhealthy"))
                .body("services.find { it.name == 'telemetry-service' }.status", equalTo("unhealthy"))
                .body("status", equalTo("unhealthy"))
                .body("services[0].checkedAt", notNullValue()));
        given().auth().oauth2(TestKeys.tokens().agent("a")).get("/v1/health/suite").then().statusCode(403);
    }

    @Test
    void statsCombineRemoteLogSizeWithFiguresDerivedFromEvents() {
        List<EventEnvelope> sent = new ArrayList<>();
        sent.add(publish(publisher, "stats-a1", new DomainEvent.AgentRegistered(300, 300, "BASIC", false)));
        sent.add(publish(publisher, "stats-a2", new DomainEvent.AgentRegistered(720, 720, "TRUSTED", false)));
        sent.add(publish(publisher, "stats-a1", new DomainEvent.LeaseAcquired("L-1", "T-1", "SPEC", "stats-a1", 1)));
        sent.add(publish(publisher, "stats-a1", new DomainEvent.LeaseAcquired("L-2", "T-2", "SPEC", "stats-a1", 1)));
        sent.add(publish(publisher, "stats-a1",
                new DomainEvent.LeaseReleased("L-1", "T-1", "SPEC", "stats-a1", 1, null, null)));
        sent.add(publish(publisher, "stats-a1", new DomainEvent.RoleGateDenied("ev-1", "ADMIN", "DENY", "KERNEL",
                "role needs a higher tier", "kernel-tier", 1, null, "BASIC", null, null, null, null)));
        sent.add(publish(publisher, "stats-a2", new DomainEvent.CeilingBreach("API_CALLS", 5, 1001, 1000, "TRUSTED")));
        awaitProcessed(pool, sent);
        String operator = TestKeys.tokens().operator();
        String generatedAt = given().auth().oauth2(operator).get("/v1/stats").then().statusCode(200)
                .body("agentsByTier.BASIC", equalTo(1)).body("agentsByTier.TRUSTED", equalTo(1))
                .body("activeLeases", equalTo(1))
                .body("logSize", equalTo(42)).body("sources.logSize", equalTo("provenance-service"))
                .body("decisions24h.denied", equalTo(1)).body("ceilings24h.breach", equalTo(1))
                .body("activeAlertsBySeverity.HIGH", notNullValue())
                .body("cacheTtlSeconds", equalTo(30))
                .extract().path("generatedAt");
        // served from the cache until the TTL passes
        given().auth().oauth2(operator).get("/v1/stats").then().statusCode(200).body("generatedAt", equalTo(generatedAt));
    }

    @Test
    void rolloutGuardRollsBackABadCohortThroughGateServiceOnly() {
        List<EventEnvelope> sent = new ArrayList<>();
        sent.add(publish(publisher, "bad-ui",
                new DomainEvent.RolloutCreated("bad-ui", 0, 5, "ACTIVE", 0, "admin", null)));
        sent.add(publish(publisher, "fine-ui",
                new DomainEvent.RolloutCreated("fine-ui", 0, 5, "ACTIVE", 0, "admin", null)));
        sent.add(metrics("bad-ui", "COHORT", 200, 20, 100));
        sent.add(metrics("bad-ui", "CONTROL", 1000, 10, 100));
        sent.add(metrics("fine-ui", "COHORT", 200, 2, 100));
        sent.add(metrics("fine-ui", "CONTROL", 1000, 10, 100));
        awaitProcessed(pool, sent);
        // the table is shared with the other test classes' rollouts (the dashboard test's stays active): only this
        // test's two flags are asserted on
        assertThat(guard.checkNow()).contains("bad-ui").doesNotContain("fine-ui");
        assertThat(rollbacksOf("bad-ui")).hasSize(1);
        assertThat(rollbacksOf("bad-ui").get(0)).startsWith("POST /gate/v1/flags/bad-ui/rollback Bearer test-service-token")
                .contains("\"trigger\":\"telemetry-rollout-guard\"").contains("error rate");
        // rolled back: no second call on the next pass
        assertThat(guard.checkNow()).doesNotContain("bad-ui", "fine-ui");
        assertThat(rollbacksOf("bad-ui")).hasSize(1);
        assertThat(rollbacksOf("fine-ui")).isEmpty();
    }

    private static List<String> rollbacksOf(String flag) {
        return rollbacks.stream().filter(r -> r.startsWith("POST /gate/v1/flags/" + flag + "/")).toList();
    }

    private EventEnvelope metrics(String flag, String cohort, long requests, long errors, double p95) {
        return publish(publisher, flag, new DomainEvent.RolloutMetrics(flag, cohort, requests, errors, p95));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}

package io.trustplane.telemetry.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TestKeys;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static io.trustplane.telemetry.TestSupport.awaitProcessed;
import static io.trustplane.telemetry.TestSupport.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The dashboard's server side: static files without a token (with a strict CSP), the allow-listed pass-through to
 * fake lease/provenance/gate services (served by a local JDK HttpServer; lease points at a closed port), and the
 * series and rollout figures behind the charts.
 */
@QuarkusTest
@TestProfile(DashboardResourceTest.FakeUpstreams.class)
class DashboardResourceTest {

    static final int PORT = Infrastructure.sharedFreePort("trustplane.test.dashboard-upstream-port");
    static final int CLOSED_PORT = Infrastructure.sharedFreePort("trustplane.test.dashboard-closed-port");
    static final List<Seen> seen = new CopyOnWriteArrayList<>();
    static HttpServer server;

    /** One request as the fake upstream received it. */
    record Seen(String method, String uri, String authorization, String cookie, String extra, String body) {
    }

    /** Points provenance and gate at the fake server, lease at a closed port. */
    public static class FakeUpstreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String base = "http://127.0.0.1:" + PORT;
            return Map.of("trustplane.services.provenance", base + "/provenance",
                    "trustplane.services.gate", base + "/gate/",
                    "trustplane.services.lease", "http://127.0.0.1:" + CLOSED_PORT,
                    "trustplane.dashboard.proxy-timeout", "PT2S");
        }
    }

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;

    @BeforeAll
    static void startFakes() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        server.createContext("/provenance/v1/log/checkpoint", ex -> respond(ex, 200, "text/plain; charset=utf-8",
                "trustplane.local/provenance\n7\nAAAA\n\n\u2014 trustplane.local/provenance AAAA\n"));
        server.createContext("/provenance/v1/provenance", ex -> respond(ex, 200, "application/json",
                "{\"items\":[],\"nextCursor\":null}"));
        server.createContext("/gate/v1/flags", ex -> {
            if (ex.getRequestURI().getPath().endsWith("/rollback")) {
                respond(ex, 409, "application/problem+json",
                        "{\"status\":409,\"code\":\"flag_rolled_back\",\"detail\":\"flag 'f' is already rolled back\"}");
            } else {
                respond(ex, 200, "application/json", "[{\"flag\":\"new-planner\",\"percent\":15}]");
            }
        });
        for (String context : List.of("/gate/v1/escalations", "/gate/v1/agents", "/gate/v1/tool-calls/approvals")) {
            server.createContext(context, ex -> respond(ex, 200, "application/json", "{}"));
        }
        server.start();
    }

    @AfterAll
    static void stopFakes() {
        server.stop(0);
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @Test
    void thePageAndItsScriptsLoadWithoutATokenUnderAStrictContentSecurityPolicy() {
        given().redirects().follow(false).get("/dashboard").then().statusCode(302)
                .header("Location", equalTo("/dashboard/"));
        given().get("/dashboard/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .body(containsString("<script type=\"module\" src=\"js/app.js\"></script>"))
                .body(org.hamcrest.Matchers.not(containsString("<script>")));
        given().get("/dashboard/js/app.js").then().statusCode(200)
                .header("Content-Security-Policy", notNullValue());
        given().get("/webjars/uplot/1.6.30/dist/uPlot.esm.js").then().statusCode(200)
                .body(containsString("uPlot"));
    }

    @Test
    void theProxyIsForOperatorsAndAdminsOnly() {
        given().get("/v1/dashboard/proxy/gate/v1/flags").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("unauthenticated"));
        for (String token : List.of(TestKeys.tokens().agent("agent-7"), TestKeys.tokens().service())) {
            given().auth().oauth2(token).get("/v1/dashboard/proxy/gate/v1/flags").then().statusCode(403)
                    .contentType("application/problem+json").body("code", equalTo("forbidden"));
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void anAllowedReadGoesOnWithTheCallersTokenAndNothingElse() {
        String operator = TestKeys.tokens().operator();
        given().auth().oauth2(operator).header("Cookie", "session=secret").header("X-Extra", "nope")
                .queryParam("agentId", "agent-7").queryParam("limit", 5)
                .get("/v1/dashboard/proxy/provenance/v1/provenance")
                .then().statusCode(200).contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .body("items", hasSize(0));
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("GET");
            assertThat(s.uri()).isEqualTo("/provenance/v1/provenance?agentId=agent-7&limit=5");
            assertThat(s.authorization()).isEqualTo("Bearer " + operator);
            assertThat(s.cookie()).isNull();
            assertThat(s.extra()).isNull();
        });
        given().auth().oauth2(TestKeys.tokens().admin()).accept("text/plain")
                .get("/v1/dashboard/proxy/provenance/v1/log/checkpoint")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .body(containsString("trustplane.local/provenance\n7\n"));
        given().auth().oauth2(operator).get("/v1/dashboard/proxy/gate/v1/flags")
                .then().statusCode(200).body("[0].flag", equalTo("new-planner"));
        assertThat(seen.get(seen.size() - 1).uri()).isEqualTo("/gate/v1/flags");
    }

    @Test
    void anUpstreamRefusalPassesThroughAsItsOwnProblem() {
        given().auth().oauth2(TestKeys.tokens().admin()).contentType(ContentType.JSON).body("{\"reason\":\"bad p95\"}")
                .post("/v1/dashboard/proxy/gate/v1/flags/new-planner/rollback")
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("flag_rolled_back"));
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.uri()).isEqualTo("/gate/v1/flags/new-planner/rollback");
            assertThat(s.body()).isEqualTo("{\"reason\":\"bad p95\"}");
        });
    }

    @Test
    void routesOffTheListAreRefusedWithProblemJsonBeforeAnythingIsSent() {
        String admin = TestKeys.tokens().admin();
        for (String path : List.of("gate/v1/policies", "gate/v1/flags/x/advance", "provenance/v1/provenance/not-a-uuid",
                "gate/v1/flags/..", "gate/v1/flags/../policies", "provenance/q/health/ready", "gate/v1/agents/a/suspend")) {
            given().auth().oauth2(admin).get("/v1/dashboard/proxy/" + path).then().statusCode(403)
                    .contentType("application/problem+json").body("code", equalTo("proxy_path_refused"))
                    .body("errors[0].field", equalTo("path"));
        }
        // a write the list allows only as a read, and a read it allows only as a write
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .post("/v1/dashboard/proxy/gate/v1/flags").then().statusCode(403).body("code", equalTo("proxy_path_refused"));
        given().auth().oauth2(admin).get("/v1/dashboard/proxy/gate/v1/flags/x/rollback").then().statusCode(403);
        given().auth().oauth2(admin).get("/v1/dashboard/proxy/billing/v1/invoices").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("not_found"));
        given().auth().oauth2(admin).queryParam("url", "http://example.com/")
                .get("/v1/dashboard/proxy/provenance/v1/provenance").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_request"))
                .body("errors[0].field", equalTo("url"));
        assertThat(seen).isEmpty();
    }

    @Test
    void theQueuePagesReachTheirListsAndActionsWithTheirBodies() {
        String operator = TestKeys.tokens().operator();
        String escalation = "0190d5e4-7b8a-7c3e-9f00-00000000e5c1";
        given().auth().oauth2(operator).queryParam("status", "AWAITING_OPERATOR").queryParam("limit", 25)
                .get("/v1/dashboard/proxy/gate/v1/escalations").then().statusCode(200);
        given().auth().oauth2(operator).get("/v1/dashboard/proxy/gate/v1/tool-calls/approvals/" + escalation)
                .then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"decision\":\"ALLOW\",\"note\":\"reviewed\"}")
                .post("/v1/dashboard/proxy/gate/v1/escalations/" + escalation + "/decision").then().statusCode(200);
        given().auth().oauth2(operator).queryParam("tier", "TRUSTED").queryParam("minScore", 600)
                .get("/v1/dashboard/proxy/gate/v1/agents").then().statusCode(200);
        given().auth().oauth2(operator).queryParam("limit", 200)
                .get("/v1/dashboard/proxy/gate/v1/agents/agent-7/history").then().statusCode(200);
        for (String action : List.of("suspend", "reinstate", "containment", "containment/lift")) {
            given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"reason\":\"leaked token\"}")
                    .post("/v1/dashboard/proxy/gate/v1/agents/agent-7/" + action).then().statusCode(200);
        }
        assertThat(seen).extracting(s -> s.method() + " " + s.uri()).containsExactly(
                "GET /gate/v1/escalations?limit=25&status=AWAITING_OPERATOR",
                "GET /gate/v1/tool-calls/approvals/" + escalation,
                "POST /gate/v1/escalations/" + escalation + "/decision",
                "GET /gate/v1/agents?minScore=600&tier=TRUSTED",
                "GET /gate/v1/agents/agent-7/history?limit=200",
                "POST /gate/v1/agents/agent-7/suspend",
                "POST /gate/v1/agents/agent-7/reinstate",
                "POST /gate/v1/agents/agent-7/containment",
                "POST /gate/v1/agents/agent-7/containment/lift");
        assertThat(seen.get(2).body()).isEqualTo("{\"decision\":\"ALLOW\",\"note\":\"reviewed\"}");
        assertThat(seen).allSatisfy(s -> assertThat(s.authorization()).isEqualTo("Bearer " + operator));
    }

    @Test
    void theQueueRoutesAllowNoOtherMethodPathOrParameter() {
        String admin = TestKeys.tokens().admin();
        String escalation = "0190d5e4-7b8a-7c3e-9f00-00000000e5c1";
        // validators vote in their own name, not through the dashboard; outcomes and registration are not its job
        for (String path : List.of("gate/v1/escalations/" + escalation + "/votes", "gate/v1/escalations/not-a-uuid/decision",
                "gate/v1/agents/agent-7/outcomes", "gate/v1/agents/agent-7", "gate/v1/agents/../policies/suspend",
                "gate/v1/escalations")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}").post("/v1/dashboard/proxy/" + path)
                    .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("proxy_path_refused"));
        }
        given().auth().oauth2(admin).get("/v1/dashboard/proxy/gate/v1/escalations/" + escalation + "/decision")
                .then().statusCode(403).body("code", equalTo("proxy_path_refused"));
        given().auth().oauth2(admin).get("/v1/dashboard/proxy/gate/v1/agents/agent-7/containment")
                .then().statusCode(403).body("code", equalTo("proxy_path_refused"));
        given().auth().oauth2(admin).queryParam("validator", "validator-1")
                .get("/v1/dashboard/proxy/gate/v1/escalations").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("validator"));
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnreachableServiceIs503() {
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/dashboard/proxy/lease/v1/tasks/t-1")
                .then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("dependency_unavailable")).body("detail", containsString("lease-service"));
    }

    @Test
    void seriesSumTheGlobalCountersPerStep() {
        List<EventEnvelope> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(publish(publisher, "dash-agent", new DomainEvent.RoleGateAllowed("ev-" + i, "OBSERVER", "ALLOW",
                    "BASIS", "allowed", null, 1, null, "BASIC", null, null, null, null)));
        }
        awaitProcessed(pool, sent);
        String operator = TestKeys.tokens().operator();
        var body = given().auth().oauth2(operator)
                .queryParam("name", "role_gate_allowed").queryParam("name", "role_gate_denied")
                .queryParam("window", 600).queryParam("step", 60)
                .get("/v1/dashboard/series").then().statusCode(200)
                .body("windowSeconds", equalTo(600)).body("stepSeconds", equalTo(60))
                .body("timestamps", hasSize(10)).body("values.role_gate_allowed", hasSize(10))
                .body("values.role_gate_denied", hasSize(10))
                .extract().jsonPath();
        List<Integer> allowed = body.getList("values.role_gate_allowed", Integer.class);
        assertThat(allowed.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(3);
        List<Long> t = body.getList("timestamps", Long.class);
        assertThat(t.get(1) - t.get(0)).isEqualTo(60);

        given().auth().oauth2(operator).queryParam("name", "Bad-Name").get("/v1/dashboard/series").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        given().auth().oauth2(operator).get("/v1/dashboard/series").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        given().auth().oauth2(operator).queryParam("name", "x").queryParam("window", 172_800).queryParam("step", 10)
                .get("/v1/dashboard/series").then().statusCode(400).body("errors[0].field", equalTo("step"));
        given().auth().oauth2(TestKeys.tokens().agent("dash-agent")).queryParam("name", "x")
                .get("/v1/dashboard/series").then().statusCode(403);
    }

    @Test
    void rolloutsShowCohortAgainstControlAndWhetherTheGuardWouldFire() {
        List<EventEnvelope> sent = new ArrayList<>();
        sent.add(publish(publisher, "dash-flag",
                new DomainEvent.RolloutAdvanced("dash-flag", 5, 15, "ACTIVE", 1, "admin", null)));
        sent.add(publish(publisher, "dash-flag",
                new DomainEvent.RolloutMetrics("dash-flag", "COHORT", 400, 40, 120.0)));
        sent.add(publish(publisher, "dash-flag",
                new DomainEvent.RolloutMetrics("dash-flag", "CONTROL", 1000, 10, 100.0)));
        awaitProcessed(pool, sent);
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/dashboard/rollouts").then().statusCode(200)
                .body("minRequests", equalTo(200)).body("windowSeconds", equalTo(600))
                .body("items.find { it.flag == 'dash-flag' }.percent", equalTo(15))
                .body("items.find { it.flag == 'dash-flag' }.cohort.requests", equalTo(400))
                .body("items.find { it.flag == 'dash-flag' }.cohort.errorRate", equalTo(0.1f))
                .body("items.find { it.flag == 'dash-flag' }.control.requests", equalTo(1000))
                .body("items.find { it.flag == 'dash-flag' }.trigger", containsString("error rate"))
                .body("items.find { it.flag == 'nope' }", nullValue());
        given().auth().oauth2(TestKeys.tokens().agent("dash-flag")).get("/v1/dashboard/rollouts").then().statusCode(403);
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        String raw = ex.getRequestURI().getRawQuery();
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath() + (raw == null ? "" : "?" + raw),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Cookie"),
                ex.getRequestHeaders().getFirst("X-Extra"),
                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}

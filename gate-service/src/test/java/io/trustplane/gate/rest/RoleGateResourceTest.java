package io.trustplane.gate.rest;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.Streams;
import io.trustplane.gate.config.GateBeans.RoleTable;
import io.trustplane.gate.events.InvalidationSubscriber;
import io.trustplane.gate.repository.AgentRepository;
import io.trustplane.gate.repository.PolicyRepository;
import io.trustplane.gate.service.AgentCache;
import io.trustplane.gate.service.GateCaches;
import io.trustplane.gate.domain.GateEngine;
import io.trustplane.gate.domain.Layer;
import io.trustplane.gate.service.PolicyCache;
import io.trustplane.gate.domain.Tier;
import io.trustplane.gate.domain.Verdict;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The role-gate decision table against real PostgreSQL and Redis: every layer, every tier distance, policy
 * priority, and a policy change reaching a second replica's cache through Redis pub/sub.
 */
@QuarkusTest
class RoleGateResourceTest extends GateTestSupport {

    @Inject
    PolicyRepository policyRepository;
    @Inject
    AgentRepository agentRepository;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    GateCaches caches;
    @Inject
    RoleTable roles;

    static Map<String, Object> body(String agentId, String role, String tier, String resourceId, String action) {
        Map<String, Object> body = new HashMap<>();
        body.put("agentId", agentId);
        body.put("role", role);
        if (tier != null) {
            body.put("tier", tier);
        }
        body.put("context", Map.of("resourceId", resourceId, "action", action));
        return body;
    }

    static io.restassured.response.ValidatableResponse evaluate(String token, Map<String, Object> body) {
        return as(token).body(body).post("/v1/role-gates/evaluate").then();
    }

    @Test
    void decisionTableCoversEveryLayerAndTierDistance() {
        String unknownTier = unique("t0");
        String basic = unique("t1");
        String verified = unique("t2");
        String trusted = unique("t3");
        String privileged = unique("t4");
        register(unknownTier, 100);
        register(basic, 300);
        register(verified, 500);
        register(trusted, 700);
        register(privileged, 900);

        // seed 002's payload, unchanged: VERIFIED claiming VERIFIED for DATA_ANALYST (min VERIFIED)
        evaluate(agent(verified), body(verified, "DATA_ANALYST", "VERIFIED", "dataset_001", "read"))
                .statusCode(200).body("decision", equalTo("ALLOW")).body("layer", equalTo("BASIS"))
                .body("ruleId", equalTo("basis:meets-tier")).body("evaluationId", notNullValue())
                .body("reason", notNullValue());
        // BASIS by distance to DEPLOYER (min TRUSTED): above, equal, one short, two short, three short
        Object[][] table = {
                {privileged, "ALLOW"}, {trusted, "ALLOW"}, {verified, "ESCALATE"}, {basic, "DENY"}, {unknownTier, "DENY"}};
        for (Object[] row : table) {
            String id = (String) row[0];
            evaluate(agent(id), body(id, "DEPLOYER", null, "svc/api", "deploy"))
                    .statusCode(200).body("decision", equalTo(row[1])).body("layer", equalTo("BASIS"));
        }
        evaluate(agent(verified), body(verified, "DEPLOYER", "T2", "svc/api", "deploy"))
                .body("decision", equalTo("ESCALATE")).body("escalationId", notNullValue());

        // KERNEL: unknown agent, suspended agent, forged tier, undefined role, kernel-enforced minimum
        String ghost = unique("ghost");
        evaluate(operator(), body(ghost, "DATA_ANALYST", null, "d", "read"))
                .statusCode(200).body("decision", equalTo("DENY")).body("layer", equalTo("KERNEL"))
                .body("ruleId", equalTo("kernel:unknown-agent"));
        String suspended = unique("susp");
        register(suspended, 900);
        as(operator()).body(Map.of("reason", "test")).post("/v1/agents/" + suspended + "/suspend").then().statusCode(200);
        evaluate(agent(suspended), body(suspended, "OBSERVER", null, "d", "read"))
                .body("decision", equalTo("DENY")).body("ruleId", equalTo("kernel:suspended"));
        as(operator()).post("/v1/agents/" + suspended + "/reinstate").then().statusCode(200);
        evaluate(agent(suspended), body(suspended, "OBSERVER", null, "d", "read")).body("decision", equalTo("ALLOW"));

        String evaluationId = evaluate(agent(basic), body(basic, "OBSERVER", "TRUSTED", "d", "read"))
                .statusCode(200).body("decision", equalTo("DENY")).body("layer", equalTo("KERNEL"))
                .body("ruleId", equalTo("kernel:claimed-tier")).body("registeredTier", equalTo("BASIC"))
                .extract().path("evaluationId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events(Streams.EVENTS, evaluationId)).anyMatch(e -> e.contains("\"role_gate.denied\"")
                    && e.contains("BOUNDARY_TESTING"));
            assertThat(events(Streams.EVENTS, evaluationId)).anyMatch(e -> e.contains("\"gaming.signal\""));
            assertThat(events(Streams.ANCHOR, evaluationId)).anyMatch(e -> e.contains("\"role_gate.denied\""));
        });
        evaluate(agent(trusted), body(trusted, "NO_SUCH_ROLE", null, "d", "read"))
                .body("decision", equalTo("DENY")).body("ruleId", equalTo("kernel:unknown-role"));
        evaluate(agent(trusted), body(trusted, "SYSTEM_ADMIN", null, "d", "read"))
                .body("decision", equalTo("DENY")).body("layer", equalTo("KERNEL")).body("ruleId", equalTo("kernel:min-tier"));

        // allowed decisions are not anchored, escalations are
        String allowedId = evaluate(agent(trusted), body(trusted, "OBSERVER", null, "d", "read"))
                .body("decision", equalTo("ALLOW")).extract().path("evaluationId");
        String escalatedId = evaluate(agent(basic), body(basic, "DATA_ANALYST", null, "d", "read"))
                .body("decision", equalTo("ESCALATE")).extract().path("evaluationId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events(Streams.EVENTS, allowedId)).anyMatch(e -> e.contains("\"role_gate.allowed\""));
            assertThat(events(Streams.ANCHOR, allowedId)).isEmpty();
            assertThat(events(Streams.ANCHOR, escalatedId)).anyMatch(e -> e.contains("\"role_gate.escalated\""));
        });
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("trustplane_gate_decisions_total{decision=\"DENY\",layer=\"KERNEL\"}"));
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

    @Test
    void policiesDecideByPriorityBeforeTheBasis() {
        String trusted = unique("pol");
        register(trusted, 700);
        String resource = unique("prod") + "/db";
        String pattern = resource.substring(0, resource.indexOf('/')) + "/*";
        String low = as(admin()).body(Map.of("name", "deny prod writes", "priority", 10, "role", "DATA_ANALYST",
                        "actions", List.of("write"), "resourcePattern", pattern, "effect", "DENY"))
                .post("/v1/policies").then().statusCode(201).body("version", equalTo(1)).extract().path("id");
        evaluate(agent(trusted), body(trusted, "DATA_ANALYST", null, resource, "write"))
                .body("decision", equalTo("DENY")).body("layer", equalTo("POLICY")).body("ruleId", equalTo(low));
        // other actions and resources fall through to BASIS
        evaluate(agent(trusted), body(trusted, "DATA_ANALYST", null, resource, "read"))
                .body("decision", equalTo("ALLOW")).body("layer", equalTo("BASIS"));
        evaluate(agent(trusted), body(trusted, "DATA_ANALYST", null, "staging/db", "write"))
                .body("layer", equalTo("BASIS"));

        String high = as(admin()).body(Map.of("name", "escalate trusted prod writes", "priority", 20,
                        "tiers", List.of("T3"), "actions", List.of("WRITE"), "resourcePattern", pattern, "effect", "ESCALATE"))
                .post("/v1/policies").then().statusCode(201).body("tiers", equalTo(List.of("TRUSTED"))).extract().path("id");
        evaluate(agent(trusted), body(trusted, "DATA_ANALYST", null, resource, "write"))
                .body("decision", equalTo("ESCALATE")).body("layer", equalTo("POLICY")).body("ruleId", equalTo(high));

        // lowering the priority (a new version) hands the decision back to the other rule
        as(admin()).body(Map.of("name", "escalate trusted prod writes", "priority", 5, "tiers", List.of("TRUSTED"),
                        "actions", List.of("write"), "resourcePattern", pattern, "effect", "ESCALATE", "expectedVersion", 1))
                .put("/v1/policies/" + high).then().statusCode(200).body("version", equalTo(2));
        evaluate(agent(trusted), body(trusted, "DATA_ANALYST", null, resource, "write")).body("ruleId", equalTo(low));
        as(admin()).body(Map.of("name", "x", "priority", 5, "effect", "ALLOW", "expectedVersion", 1))
                .put("/v1/policies/" + high).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("version_mismatch"));

        as(admin()).delete("/v1/policies/" + low).then().statusCode(200);
        as(admin()).delete("/v1/policies/" + high).then().statusCode(200);
        as(admin()).get("/v1/policies/" + low).then().statusCode(404);
        evaluate(agent(trusted), body(trusted, "DATA_ANALYST", null, resource, "write")).body("layer", equalTo("BASIS"));
        as(operator()).get("/v1/policies").then().statusCode(200);
        as(operator()).body(Map.of("name", "x", "priority", 1, "effect", "ALLOW")).post("/v1/policies")
                .then().statusCode(403);
        as(agent(trusted)).get("/v1/policies").then().statusCode(403);
    }

    @Test
    void aSecondReplicaSeesPolicyAndAgentChangesThroughPubSub() {
        // "replica B": its own caches, fed only by its own subscription to the invalidation channel
        PolicyCache policiesB = new PolicyCache(policyRepository);
        AgentCache agentsB = new AgentCache(agentRepository, 1000);
        InvalidationSubscriber subscriberB = GateCaches.subscriber(reactiveRedis, caches.channel(), policiesB, agentsB);
        try {
            subscriberB.ensure();
            await().atMost(Duration.ofSeconds(10)).until(subscriberB::isSubscribed);
            policiesB.reload().await().atMost(Duration.ofSeconds(10));
            String agentId = unique("replica");
            register(agentId, 500);
            assertThat(agentsB.get(agentId).await().atMost(Duration.ofSeconds(5)).tier()).isEqualTo(Tier.VERIFIED);
            long before = policiesB.current().revision();

            String resource = unique("replica-res");
            String id = as(admin()).body(Map.of("name", "replica deny", "priority", 100, "resourcePattern", resource,
                    "effect", "DENY")).post("/v1/policies").then().statusCode(201).extract().path("id");
            try {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    assertThat(policiesB.current().revision()).isGreaterThan(before);
                    Verdict v = GateEngine.evaluate(agentsB.get(agentId).await().indefinitely(), null, "DATA_ANALYST",
                            "read", resource, roles.roles(), policiesB.current());
                    assertThat(v.layer()).isEqualTo(Layer.POLICY);
                    assertThat(v.ruleId()).isEqualTo(id);
                });
                // an agent update evicts B's cached copy too
                register(agentId, 900);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(agentsB.get(agentId).await().indefinitely().tier()).isEqualTo(Tier.PRIVILEGED));
            } finally {
                as(admin()).delete("/v1/policies/" + id).then().statusCode(200);
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(policiesB.current().rules()).noneMatch(r -> r.id().equals(id)));
        } finally {
            subscriberB.stop();
        }
    }

    @Test
    void badInputIsProblemJsonNamingTheField() {
        String id = unique("bad");
        register(id, 500);
        evaluate(agent(id), Map.of("role", "DATA_ANALYST")).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("agentId"));
        evaluate(agent(id), Map.of("agentId", id)).statusCode(400).body("errors.field", hasItem("role"));
        evaluate(agent(id), Map.of("agentId", "bad id!", "role", "DATA_ANALYST")).statusCode(400)
                .body("errors.field", hasItem("agentId"));
        evaluate(agent(id), Map.of("agentId", id, "role", "DATA_ANALYST", "tier", "T9")).statusCode(400)
                .body("errors[0].field", equalTo("tier"));
        evaluate(agent(id), Map.of("agentId", id, "role", "DATA_ANALYST", "context",
                Map.of("resourceId", "x".repeat(300)))).statusCode(400).body("errors.field", hasItem("context.resourceId"));
        as(agent(id)).body("{not json").post("/v1/role-gates/evaluate").then().statusCode(400)
                .contentType("application/problem+json");
        as(agent(id)).post("/v1/role-gates/evaluate").then().statusCode(400);
        as(admin()).body(Map.of("name", "", "priority", 1, "effect", "MAYBE")).post("/v1/policies").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("effect"));
        as(admin()).body(Map.of("name", "", "effect", "ALLOW")).post("/v1/policies").then()
                .statusCode(400).body("errors.field", hasItem("name")).body("errors.field", hasItem("priority"));
        as(admin()).body(Map.of("name", "n", "priority", 1, "effect", "ALLOW", "tiers", List.of("NOPE")))
                .post("/v1/policies").then().statusCode(400);
        as(admin()).get("/v1/policies/not_a_policy!").then().statusCode(400);
        as(admin()).get("/v1/policies/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("not_found"));
    }

    @Test
    void anAgentEvaluatingForAnotherAgentIs403() {
        String me = unique("me");
        String other = unique("other");
        register(me, 500);
        register(other, 500);
        evaluate(agent(me), body(other, "DATA_ANALYST", null, "d", "read")).statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
        evaluate(service(), body(other, "DATA_ANALYST", null, "d", "read")).statusCode(200)
                .body("escalationId", nullValue());
        io.restassured.RestAssured.given().contentType("application/json").body(body(me, "DATA_ANALYST", null, "d", "r"))
                .post("/v1/role-gates/evaluate").then().statusCode(401);
    }
}

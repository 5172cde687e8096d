package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The agent list and the escalation queue: filters, keyset pages that list every item present at the start exactly
 * once while others are created, what an agent may see, and bad query parameters.
 */
@QuarkusTest
class ListResourceTest extends GateTestSupport {

    /** An escalation of {@code agentId} (registered BASIC): DATA_ANALYST needs VERIFIED. */
    static String escalate(String agentId) {
        return as(agent(agentId)).body(Map.of("agentId", agentId, "role", "DATA_ANALYST",
                        "context", Map.of("resourceId", "dataset_001", "action", "read")))
                .post("/v1/role-gates/evaluate").then().statusCode(200)
                .body("decision", equalTo("ESCALATE")).extract().path("escalationId");
    }

    @Test
    void agentsFilterByTierStatusAndScore() {
        // tiers by the default bands (BASIC from 200, VERIFIED from 400, TRUSTED from 600, PRIVILEGED from 800);
        // the EU AI Act caps the effective score at 699, so the 950 agent under it is TRUSTED, not PRIVILEGED
        String basic = unique("lst-basic");
        String capped = unique("lst-capped");
        String privileged = unique("lst-priv");
        register(basic, 251);
        register(capped, 951, "EU_AI_ACT");
        register(privileged, 952);
        as(operator()).body(Map.of("reason", "list test")).post("/v1/agents/" + basic + "/suspend").then().statusCode(200);

        List<String> trusted = allIds(operator(), "/v1/agents", "agentId", Map.of("tier", "TRUSTED", "minScore", "951"), 50);
        assertThat(trusted).contains(capped).doesNotContain(privileged, basic);
        List<String> t4 = allIds(operator(), "/v1/agents", "agentId", Map.of("tier", "t4", "minScore", "951"), 50);
        assertThat(t4).contains(privileged).doesNotContain(capped);
        List<String> suspended = allIds(operator(), "/v1/agents", "agentId", Map.of("status", "SUSPENDED"), 200);
        assertThat(suspended).contains(basic).doesNotContain(capped, privileged);
        List<String> active = allIds(operator(), "/v1/agents", "agentId",
                Map.of("status", "ACTIVE", "minScore", "251", "maxScore", "251"), 50);
        assertThat(active).doesNotContain(basic);
        List<String> range = allIds(operator(), "/v1/agents", "agentId", Map.of("minScore", "951", "maxScore", "952"), 50);
        assertThat(range).contains(capped, privileged).doesNotContain(basic);
    }

    @Test
    void anAgentListsOnlyItselfAndItsOwnEscalations() {
        String me = unique("lst-me");
        String other = unique("lst-other");
        register(me, 300);
        register(other, 300);
        String mine = escalate(me);
        String theirs = escalate(other);

        as(agent(me)).get("/v1/agents").then().statusCode(200).body("items.agentId", equalTo(List.of(me)));
        List<String> seen = allIds(agent(me), "/v1/escalations", "id", Map.of(), 50);
        assertThat(seen).contains(mine).doesNotContain(theirs);
        as(agent(me)).queryParam("agentId", other).get("/v1/escalations").then().statusCode(403)
                .contentType("application/problem+json");
        // validators see the whole queue, as they vote on any of it
        assertThat(allIds(agent("validator-1"), "/v1/escalations", "id", Map.of("agentId", other), 50))
                .containsExactly(theirs);
        assertThat(allIds(operator(), "/v1/escalations", "id", Map.of("agentId", me), 50)).containsExactly(mine);
    }

    @Test
    void escalationsFilterByStatusWithQuorumProgress() {
        String agentId = unique("lst-esc");
        register(agentId, 300);
        String decided = escalate(agentId);
        String voted = escalate(agentId);
        as(operator()).body(Map.of("decision", "DENY", "note", "no")).post("/v1/escalations/" + decided + "/decision")
                .then().statusCode(200);
        EscalationResourceTest.vote("validator-1", voted, true).statusCode(200);

        as(operator()).queryParam("agentId", agentId).queryParam("status", "DECIDED").get("/v1/escalations").then()
                .statusCode(200).body("items.id", equalTo(List.of(decided))).body("items[0].status", equalTo("REJECTED"))
                .body("items[0].decidedBy", equalTo("operator-1"));
        as(operator()).queryParam("agentId", agentId).queryParam("status", "REJECTED").get("/v1/escalations").then()
                .statusCode(200).body("items.id", equalTo(List.of(decided)));
        as(operator()).queryParam("agentId", agentId).get("/v1/escalations").then().statusCode(200)
                .body("items.id", equalTo(List.of(decided, voted)))
                .body("items[1].approvals", equalTo(1)).body("items[1].approvalsNeeded", equalTo(3))
                .body("items[1].votes.validatorId", equalTo(List.of("validator-1")))
                .body("items[1].role", equalTo("DATA_ANALYST")).body("items[1].reason", not(equalTo(null)));
        // the voting window (6 s in tests) passes: the escalation waits for an operator
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                as(operator()).queryParam("agentId", agentId).queryParam("status", "AWAITING_OPERATOR")
                        .get("/v1/escalations").then().statusCode(200).body("items.id", equalTo(List.of(voted))));
        as(operator()).queryParam("agentId", agentId).queryParam("status", "OPEN").get("/v1/escalations").then()
                .statusCode(200).body("items", equalTo(List.of()));
        as(operator()).queryParam("status", "OPEN").get("/v1/escalations").then().statusCode(200)
                .body("items.status", everyItem(equalTo("OPEN")));
    }

    @Test
    void pagesListEveryAgentAndEscalationOnceWhileOthersAreCreated() throws Exception {
        // agents: a score no other test uses isolates this test's agents
        List<String> agentsBefore = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            String id = unique("lst-page");
            register(id, 613);
            agentsBefore.add(id);
        }
        List<String> agentsListed = whileCreating(() -> register(unique("lst-page"), 613),
                () -> allIds(operator(), "/v1/agents", "agentId", Map.of("minScore", "613", "maxScore", "613"), 4));
        assertThat(new HashSet<>(agentsListed)).as("no agent listed twice").hasSize(agentsListed.size());
        assertThat(agentsListed.subList(0, agentsBefore.size())).isEqualTo(agentsBefore);

        String agentId = unique("lst-queue");
        register(agentId, 300);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            before.add(escalate(agentId));
        }
        List<String> listed = whileCreating(() -> escalate(agentId),
                () -> allIds(operator(), "/v1/escalations", "id", Map.of("agentId", agentId), 3));
        assertThat(new HashSet<>(listed)).as("no escalation listed twice").hasSize(listed.size());
        assertThat(listed).containsAll(before);
    }

    @Test
    void badQueryParametersAreProblemsNamingTheParameter() {
        Map<String, Map<String, String>> bad = Map.of(
                "/v1/agents", Map.of("tier", "T9", "status", "ASLEEP", "minScore", "-1", "maxScore", "lots",
                        "cursor", "@@", "limit", "0"),
                "/v1/escalations", Map.of("status", "MAYBE", "agentId", "a b", "cursor", "bm90LWEtY3Vyc29y",
                        "limit", "five"));
        bad.forEach((path, params) -> params.forEach((param, value) -> as(operator()).queryParam(param, value)
                .get(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(param))));
        as(operator()).queryParam("minScore", 700).queryParam("maxScore", 600).get("/v1/agents").then()
                .statusCode(400).body("errors.field", hasItem("maxScore"));
        as(operator()).queryParam("cursor", "MTIzOm5vdC1hLXV1aWQ").get("/v1/escalations").then().statusCode(400)
                .body("errors.field", hasItem("cursor"));
    }

    private static <T> List<String> whileCreating(Runnable create, Supplier<List<String>> list) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 40 && !stop.get(); i++) {
                create.run();
            }
        });
        try {
            return list.get();
        } finally {
            stop.set(true);
            writer.get();
        }
    }


    private static List<String> allIds(String token, String path, String idField, Map<String, String> filters,
            int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification req = as(token).queryParams(filters).queryParam("limit", limit);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            Response r = req.get(path).then().statusCode(200).extract().response();
            ids.addAll(r.path("items." + idField));
            cursor = r.path("nextCursor");
        } while (cursor != null);
        return ids;
    }
}

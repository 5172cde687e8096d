package io.trustplane.lease.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static io.trustplane.lease.rest.LeaseApi.acquire;
import static io.trustplane.lease.rest.LeaseApi.agent;
import static io.trustplane.lease.rest.LeaseApi.createTask;
import static io.trustplane.lease.rest.LeaseApi.newTaskId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * The task list and the active-lease list: filters, keyset pages that list every item present at the start exactly
 * once while other items are inserted, what an agent may see, and bad query parameters.
 */
@QuarkusTest
class ListResourceTest {

    private static String uniqueAgent() {
        return "lister-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification operator() {
        return given().auth().oauth2(LeaseApi.TOKENS.operator());
    }

    @Test
    void tasksFilterByAgentPhaseStatusAndUpdatedSince() {
        String owner = uniqueAgent();
        String leased = newTaskId();
        String idle = newTaskId();
        createTask(owner, leased).statusCode(201);
        createTask(owner, idle).statusCode(201);
        acquire(owner, leased, "STRATEGIZE", 600).statusCode(201);

        operator().queryParam("agent", owner).get("/v1/tasks").then().statusCode(200)
                .body("items.taskId", equalTo(List.of(leased, idle))).body("nextCursor", nullValue());
        operator().queryParam("agent", owner).queryParam("status", "LEASED").get("/v1/tasks").then().statusCode(200)
                .body("items.taskId", equalTo(List.of(leased))).body("items[0].holder", equalTo(owner))
                .body("items[0].status", equalTo("LEASED"));
        operator().queryParam("agent", owner).queryParam("status", "UNLEASED").get("/v1/tasks").then()
                .statusCode(200).body("items.taskId", equalTo(List.of(idle)));
        operator().queryParam("agent", owner).queryParam("phase", "SPEC").get("/v1/tasks").then().statusCode(200)
                .body("items", equalTo(List.of()));
        operator().queryParam("agent", owner).queryParam("phase", "strategize").get("/v1/tasks").then()
                .statusCode(200).body("items.size()", equalTo(2));

        // updatedSince: PostgreSQL's clock stamps the tasks, so the bound is read from the tasks themselves
        String updatedAt = operator().get("/v1/tasks/" + idle).then().statusCode(200).extract().path("updatedAt");
        Instant later = Instant.parse(updatedAt).plusNanos(1000);
        operator().queryParam("agent", owner).queryParam("updatedSince", updatedAt).get("/v1/tasks").then()
                .statusCode(200).body("items.taskId", hasItem(idle));
        operator().queryParam("agent", owner).queryParam("updatedSince", later.toString()).get("/v1/tasks").then()
                .statusCode(200).body("items", equalTo(List.of()));
    }

    @Test
    void anAgentSeesOnlyItsOwnTasksAndLeases() {
        String me = uniqueAgent();
        String other = uniqueAgent();
        String mine = newTaskId();
        String theirs = newTaskId();
        createTask(me, mine).statusCode(201);
        createTask(other, theirs).statusCode(201);
        acquire(me, mine, "STRATEGIZE", 600).statusCode(201);
        acquire(other, theirs, "STRATEGIZE", 600).statusCode(201);

        List<String> seen = allTaskIds(agent(me), Map.of(), 50);
        assertThat(seen).contains(mine).doesNotContain(theirs);
        given().auth().oauth2(agent(me)).queryParam("agent", other).get("/v1/tasks").then().statusCode(403)
                .contentType("application/problem+json").body("errors.field", hasItem("agent"));
        given().auth().oauth2(agent(me)).queryParam("agent", me).get("/v1/tasks").then().statusCode(200)
                .body("items.taskId", equalTo(List.of(mine)));

        given().auth().oauth2(agent(me)).get("/v1/leases").then().statusCode(200).body("holder", everyIs(me));
        given().auth().oauth2(agent(me)).queryParam("holder", other).get("/v1/leases").then().statusCode(403)
                .contentType("application/problem+json").body("errors.field", hasItem("holder"));
        operator().queryParam("holder", other).get("/v1/leases").then().statusCode(200)
                .body("taskId", equalTo(List.of(theirs)));
    }

    private static org.hamcrest.Matcher<Iterable<? extends String>> everyIs(String value) {
        return org.hamcrest.Matchers.everyItem(equalTo(value));
    }

    @Test
    void taskPagesListEveryTaskOnceWhileTasksAreCreated() throws Exception {
        String owner = uniqueAgent();
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = newTaskId();
            createTask(owner, id).statusCode(201);
            before.add(id);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<String> during = new ArrayList<>();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (!stop.get() && during.size() < 200) {
                String id = newTaskId();
                createTask(owner, id).statusCode(201);
                synchronized (during) {
                    during.add(id);
                }
            }
        });
        List<String> listed;
        try {
            listed = allTaskIds(LeaseApi.TOKENS.operator(), Map.of("agent", owner), 4);
        } finally {
            stop.set(true);
            writer.get();
        }
        assertThat(new HashSet<>(listed)).as("no task listed twice").hasSize(listed.size());
        assertThat(listed).containsAll(before);
        assertThat(listed.subList(0, before.size())).as("creation order").isEqualTo(before);
        Set<String> all = new HashSet<>(before);
        all.addAll(during);
        assertThat(all).containsAll(listed);
    }

    @Test
    void leasePagesListEveryLeaseOnceWhileLeasesAreTaken() throws Exception {
        String holder = uniqueAgent();
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            before.add(acquire(holder, newTaskId(), "PLAN", 600).statusCode(201).extract().path("leaseId"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200 && !stop.get(); i++) {
                acquire(holder, newTaskId(), "PLAN", 600).statusCode(201);
            }
        });
        List<String> listed = new ArrayList<>();
        try {
            String cursor = null;
            do {
                RequestSpecification req = operator().queryParam("holder", holder).queryParam("limit", 3);
                if (cursor != null) {
                    req.queryParam("cursor", cursor);
                }
                Response r = req.get("/v1/leases").then().statusCode(200).extract().response();
                listed.addAll(r.path("leaseId"));
                cursor = r.header("X-Next-Cursor");
                if (cursor != null) {
                    assertThat(r.header("Link")).contains("rel=\"next\"").contains("cursor=");
                }
            } while (cursor != null);
        } finally {
            stop.set(true);
            writer.get();
        }
        assertThat(new HashSet<>(listed)).as("no lease listed twice").hasSize(listed.size());
        assertThat(listed.subList(0, before.size())).isEqualTo(before);
    }

    @Test
    void badQueryParametersAreProblemsNamingTheParameter() {
        Map<String, String> bad = Map.of(
                "phase", "NOWHERE",
                "status", "BUSY",
                "updatedSince", "yesterday",
                "cursor", "not-a-cursor",
                "limit", "0",
                "agent", "has spaces");
        bad.forEach((param, value) -> operator().queryParam(param, value).get("/v1/tasks").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(param)));
        operator().queryParam("limit", "501").get("/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItem("limit"));
        operator().queryParam("limit", "many").get("/v1/tasks").then().statusCode(400)
                .contentType("application/problem+json");
        operator().queryParam("cursor", "MTIzOm5vdC1hLXV1aWQ").get("/v1/leases").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("cursor"));
        operator().queryParam("limit", "501").get("/v1/leases").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("limit"));
    }

    private static List<String> allTaskIds(String token, Map<String, String> filters, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification req = given().auth().oauth2(token).queryParams(filters).queryParam("limit", limit);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            Response r = req.get("/v1/tasks").then().statusCode(200).extract().response();
            ids.addAll(r.path("items.taskId"));
            cursor = r.path("nextCursor");
        } while (cursor != null);
        return ids;
    }
}

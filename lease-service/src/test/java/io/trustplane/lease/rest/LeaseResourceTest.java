package io.trustplane.lease.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static io.trustplane.lease.rest.LeaseApi.acquire;
import static io.trustplane.lease.rest.LeaseApi.agent;
import static io.trustplane.lease.rest.LeaseApi.fencing;
import static io.trustplane.lease.rest.LeaseApi.newTaskId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

@QuarkusTest
class LeaseResourceTest {

    @Test
    void acquireIsExclusiveNotReentrantAndRenewReleaseAndQueryWork() {
        String task = newTaskId();
        String leaseId = acquire("agent-a", task, "PLAN", null).statusCode(201)
                .body("holder", equalTo("agent-a"))
                .body("fencingToken", equalTo(1))
                .body("expiresInMs", greaterThan(0))
                .body("expiresInMs", lessThanOrEqualTo(300_000))
                .extract().path("leaseId");

        // not reentrant, and a conflict names the holder and how long it still holds
        acquire("agent-a", task, "PLAN", null).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("lease_held")).body("holder", equalTo("agent-a"));
        acquire("agent-b", task, "PLAN", 60).statusCode(409).contentType("application/problem+json")
                .body("holder", equalTo("agent-a")).body("expiresInMs", greaterThan(0));
        // another phase of the same task is another key
        acquire("agent-b", task, "SPEC", 60).statusCode(201).body("fencingToken", equalTo(1));

        given().auth().oauth2(agent("agent-a")).queryParam("taskId", task).queryParam("phase", "PLAN")
                .when().get("/v1/leases").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].leaseId", equalTo(leaseId));
        given().auth().oauth2(agent("agent-b")).queryParam("taskId", task).queryParam("phase", "PLAN")
                .when().get("/v1/leases").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(LeaseApi.TOKENS.operator()).queryParam("taskId", task)
                .when().get("/v1/leases").then().statusCode(200).body("$", hasSize(2));

        for (int i = 1; i <= 10; i++) {
            given().auth().oauth2(agent("agent-a")).contentType("application/json").body(Map.of("ttlSeconds", 120))
                    .when().post("/v1/leases/" + leaseId + "/renew").then().statusCode(200)
                    .body("renewals", equalTo(i));
        }
        given().auth().oauth2(agent("agent-a")).contentType("application/json").body(Map.of())
                .when().post("/v1/leases/" + leaseId + "/renew").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("renewal_limit_reached"));

        // only the holder releases, operators included (they force-release instead)
        given().auth().oauth2(agent("agent-b")).when().delete("/v1/leases/" + leaseId).then().statusCode(403)
                .contentType("application/problem+json").body("errors.field", hasItem("leaseId"));
        given().auth().oauth2(LeaseApi.TOKENS.operator()).when().delete("/v1/leases/" + leaseId).then().statusCode(403);
        given().auth().oauth2(agent("agent-a")).when().delete("/v1/leases/" + leaseId).then().statusCode(200)
                .body("status", equalTo("RELEASED"));
        given().auth().oauth2(agent("agent-a")).when().delete("/v1/leases/" + leaseId).then().statusCode(409);

        fencing(task, "PLAN", 1).statusCode(200).body("current", equalTo(false));
        acquire("agent-b", task, "PLAN", null).statusCode(201).body("fencingToken", equalTo(2));
        fencing(task, "PLAN", 1).statusCode(200).body("current", equalTo(false)).body("latestToken", equalTo(2));
        fencing(task, "PLAN", 2).statusCode(200).body("current", equalTo(true)).body("holder", equalTo("agent-b"));
    }

    @Test
    void twoHundredConcurrentAcquirersOneWinsTheRestAre409NamingTheWinner() throws Exception {
        String task = newTaskId();
        int n = 200;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(agent("racer-" + i));
        }
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/v1/leases");
        String body = "{\"taskId\":\"" + task + "\",\"phase\":\"IMPLEMENT\",\"ttlSeconds\":600}";
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + tokens.get(i))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        List<HttpResponse<String>> winners = calls.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 201).toList();
        List<HttpResponse<String>> losers = calls.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 409).toList();
        assertThat(winners).hasSize(1);
        assertThat(losers).hasSize(n - 1);
        String winner = io.restassured.path.json.JsonPath.from(winners.get(0).body()).getString("holder");
        assertThat(winner).startsWith("racer-");
        assertThat(losers).allSatisfy(r -> {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/problem+json"));
            assertThat(io.restassured.path.json.JsonPath.from(r.body()).getString("holder")).isEqualTo(winner);
        });
        given().auth().oauth2(LeaseApi.TOKENS.operator()).queryParam("taskId", task)
                .when().get("/v1/leases").then().statusCode(200).body("$", hasSize(1))
                .body("[0].holder", equalTo(winner)).body("[0].fencingToken", equalTo(1));
    }

    @Test
    void badInputIsProblemJsonNamingTheField() {
        String task = newTaskId();
        given().auth().oauth2(agent("agent-a")).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "DAYDREAM"))
                .when().post("/v1/leases").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("phase"));
        acquire("agent-a", task, "PLAN", -5).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("ttlSeconds"));
        acquire("agent-a", task, "PLAN", 999_999).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("ttlSeconds"));
        acquire("agent-a", "bad id with spaces", "PLAN", null).statusCode(400)
                .body("errors.field", hasItem("taskId"));
        acquire("agent-a", "x".repeat(129), "PLAN", null).statusCode(400).body("errors.field", hasItem("taskId"));
        given().auth().oauth2(agent("agent-a")).contentType("application/json").body("{\"taskId\": \"t\", \"phase\":")
                .when().post("/v1/leases").then().log().ifValidationFails().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_request")).body("errors.field", hasItem("body"));
        given().auth().oauth2(agent("agent-a")).contentType("application/json")
                .body("{\"taskId\":\"" + task + "\",\"phase\":\"PLAN\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}")
                .when().post("/v1/leases").then().statusCode(413).contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
        given().auth().oauth2(agent("agent-a")).queryParam("phase", "BOGUS")
                .when().get("/v1/leases").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("phase"));
        given().auth().oauth2(agent("agent-a")).when().delete("/v1/leases/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("leaseId"));
        given().auth().oauth2(LeaseApi.TOKENS.service()).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "PLAN", "fencingToken", -1))
                .when().post("/v1/fencing/check").then().statusCode(400).body("errors.field", hasItem("fencingToken"));
        String leaseId = acquire("agent-a", task, "PLAN", null).statusCode(201).extract().path("leaseId");
        given().auth().oauth2(LeaseApi.TOKENS.operator()).contentType("application/json")
                .body(Map.of("reason", "r".repeat(1001)))
                .when().post("/v1/leases/" + leaseId + "/force-release").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        // agents cannot force-release; nothing changed by any refused request
        given().auth().oauth2(agent("agent-b")).contentType("application/json").body(Map.of("reason", "mine now"))
                .when().post("/v1/leases/" + leaseId + "/force-release").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(agent("agent-b")).contentType("application/json").body(Map.of())
                .when().post("/v1/leases/" + leaseId + "/renew").then().statusCode(403)
                .body("errors.field", hasItem("leaseId"));
        given().auth().oauth2(agent("agent-a")).when().get("/v1/leases/" + leaseId).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("renewals", equalTo(0)).body("fencingToken", equalTo(1));
    }

    @Test
    void aContainedHolderTakesNoNewLeaseUntilItsContainmentIsLifted() {
        String agentId = "contained-" + newTaskId();
        String held = newTaskId();
        acquire(agentId, held, "STRATEGIZE", 60).statusCode(201);
        // gate-service's containment: every lease of the holder ends, and the holder is named contained
        given().auth().oauth2(LeaseApi.TOKENS.service()).contentType("application/json")
                .body(Map.of("holder", agentId, "reason", "containment", "contain", true))
                .when().post("/v1/leases/force-release-holder").then().statusCode(200).body("released", hasSize(1));
        String other = newTaskId();
        acquire(agentId, other, "STRATEGIZE", 60).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("holder_contained"));
        acquire("bystander-" + newTaskId(), other, "STRATEGIZE", 60).statusCode(201);
        // only operators, admins and services lift it; an agent cannot lift its own
        given().auth().oauth2(agent(agentId)).contentType("application/json").body(Map.of("holder", agentId))
                .when().post("/v1/leases/lift-holder").then().statusCode(403);
        given().auth().oauth2(LeaseApi.TOKENS.service()).contentType("application/json").body(Map.of("holder", agentId))
                .when().post("/v1/leases/lift-holder").then().statusCode(200).body("lifted", equalTo(true));
        acquire(agentId, newTaskId(), "STRATEGIZE", 60).statusCode(201);
        given().auth().oauth2(LeaseApi.TOKENS.service()).contentType("application/json").body(Map.of("holder", agentId))
                .when().post("/v1/leases/lift-holder").then().statusCode(200).body("lifted", equalTo(false));
    }
}

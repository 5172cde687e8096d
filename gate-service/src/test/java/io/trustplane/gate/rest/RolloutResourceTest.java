package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.Streams;
import io.trustplane.gate.domain.Buckets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * Staged rollouts: seed 004's stages and triggers by default, sticky cohorts that only grow (10,000 agent ids,
 * each stage's share within the binomial bound of a hash cohort), rollback by an admin or by the service role,
 * every change anchored. The bucket function's uniformity across many flags is checked in {@code BucketsTest}.
 */
@QuarkusTest
class RolloutResourceTest extends GateTestSupport {

    static final int AGENTS = 10_000;
    /** Agents asked through the API at every stage; the rest are checked with the service's own bucket function. */
    static final int SAMPLED = 200;

    static boolean enabled(String flag, String agentId) {
        return as(service()).queryParam("agentId", agentId).get("/v1/flags/" + flag).then().statusCode(200)
                .extract().path("enabled");
    }

    @Test
    void cohortsAreStickyAcrossStagesAndWithinOnePercent() {
        String flag = unique("flag");
        as(admin()).body(Map.of("flag", flag, "description", "new planner")).post("/v1/flags").then().statusCode(201)
                .body("stages", equalTo(List.of(5, 15, 50, 100))).body("percent", equalTo(5))
                .body("status", equalTo("ACTIVE"))
                .body("triggers[0].responseTimeIncreasePct", equalTo(5))
                .body("triggers[1].responseTimeIncreasePct", equalTo(7))
                .body("triggers[2].errorRateIncreasePct", equalTo(8))
                .body("triggers[3].condition", equalTo("SLA_BREACH"))
                .body("activeTrigger.percent", equalTo(5));
        boolean[] previous = new boolean[AGENTS];
        int[] expected = {5, 15, 50, 100};
        for (int stage = 0; stage < expected.length; stage++) {
            int percent = as(operator()).get("/v1/flags/" + flag).then().statusCode(200).extract().path("percent");
            assertThat(percent).isEqualTo(expected[stage]);
            int in = 0;
            for (int i = 0; i < AGENTS; i++) {
                String agentId = "agent-" + i;
                boolean on = i < SAMPLED ? enabled(flag, agentId) : Buckets.enabled(flag, agentId, percent);
                if (previous[i]) {
                    assertThat(on).as("%s stays in at %d%%", agentId, percent).isTrue();
                }
                previous[i] = on;
                in += on ? 1 : 0;
            }
            // a hash cohort is a binomial sample: a fresh flag name each run lands anywhere within a few sigma
            // (sigma at 50 % of 10,000 is 0.5 %), so a fixed ±1 % failed one run in twenty
            double p = percent / 100.0;
            double bound = 4.5 * Math.sqrt(p * (1 - p) / AGENTS);
            assertThat(Math.abs(in / (double) AGENTS - p)).as("share at %d%%", percent)
                    .isLessThanOrEqualTo(bound);
            if (stage < expected.length - 1) {
                as(admin()).post("/v1/flags/" + flag + "/advance").then().statusCode(200)
                        .body("percent", equalTo(expected[stage + 1]));
            }
        }
        as(admin()).get("/v1/flags/" + flag).then().body("status", equalTo("COMPLETED"));
        as(admin()).post("/v1/flags/" + flag + "/advance").then().statusCode(409).body("code", equalTo("flag_completed"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(Streams.ANCHOR, "\"subject\":\"" + flag + "\""))
                        .filteredOn(e -> e.contains("\"rollout.advanced\"")).hasSize(3));
    }

    @Test
    void rollbackEmptiesTheCohortAndAdvancingRestoresTheSameOne() {
        String flag = unique("rb");
        as(admin()).body(Map.of("flag", flag, "stages", List.of(10, 100))).post("/v1/flags").then().statusCode(201)
                .body("triggers[0].responseTimeIncreasePct", equalTo(5)).body("triggers[1].condition", equalTo("SLA_BREACH"));
        String inCohort = null;
        for (int i = 0; inCohort == null; i++) {
            if (Buckets.enabled(flag, "agent-" + i, 10)) {
                inCohort = "agent-" + i;
            }
        }
        as(agent(inCohort)).queryParam("agentId", inCohort).get("/v1/flags/" + flag).then().statusCode(200)
                .body("enabled", equalTo(true));
        // telemetry-service (service role) calls rollback when a trigger fires
        as(service()).body(Map.of("trigger", "responseTimeIncreasePct", "reason", "p95 +6.2% over baseline"))
                .post("/v1/flags/" + flag + "/rollback").then().statusCode(200)
                .body("status", equalTo("ROLLED_BACK")).body("percent", equalTo(0)).body("activeTrigger", nullValue());
        as(agent(inCohort)).queryParam("agentId", inCohort).get("/v1/flags/" + flag).then().body("enabled", equalTo(false));
        as(service()).post("/v1/flags/" + flag + "/rollback").then().statusCode(409).body("code", equalTo("flag_rolled_back"));
        as(admin()).post("/v1/flags/" + flag + "/advance").then().statusCode(200).body("percent", equalTo(10))
                .body("status", equalTo("ACTIVE"));
        as(agent(inCohort)).queryParam("agentId", inCohort).get("/v1/flags/" + flag).then().body("enabled", equalTo(true));
        as(admin()).post("/v1/flags/" + flag + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
        as(admin()).post("/v1/flags/" + flag + "/advance").then().statusCode(409).body("code", equalTo("flag_paused"));
        as(admin()).post("/v1/flags/" + flag + "/resume").then().statusCode(200).body("status", equalTo("ACTIVE"));
        as(operator()).get("/v1/flags/" + flag + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("CREATED", "ROLLED_BACK", "ADVANCED", "PAUSED", "RESUMED")))
                .body("[1].reason", equalTo("trigger responseTimeIncreasePct: p95 +6.2% over baseline"));
        String f = flag;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(Streams.ANCHOR, "\"subject\":\"" + f + "\""))
                        .anyMatch(e -> e.contains("\"rollout.rolled_back\"")));
    }

    @Test
    void badInputAndAccess() {
        String flag = unique("fbad");
        as(admin()).body(Map.of("flag", "bad flag!")).post("/v1/flags").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("flag"));
        as(admin()).body(Map.of("flag", flag, "stages", List.of(50, 20))).post("/v1/flags").then().statusCode(422)
                .body("code", equalTo("invalid_stages"));
        as(admin()).body(Map.of("flag", flag, "stages", List.of(0, 101))).post("/v1/flags").then().statusCode(400);
        as(admin()).body(Map.of("flag", flag, "stages", List.of(20, 100),
                "triggers", List.of(Map.of("percent", 20)))).post("/v1/flags").then().statusCode(422)
                .body("code", equalTo("invalid_triggers"));
        as(operator()).body(Map.of("flag", flag)).post("/v1/flags").then().statusCode(403);
        as(admin()).body(Map.of("flag", flag)).post("/v1/flags").then().statusCode(201);
        as(admin()).body(Map.of("flag", flag)).post("/v1/flags").then().statusCode(409).body("code", equalTo("flag_exists"));
        as(agent("agent-1")).post("/v1/flags/" + flag + "/rollback").then().statusCode(403);
        as(agent("agent-1")).queryParam("agentId", "agent-2").get("/v1/flags/" + flag).then().statusCode(403);
        as(agent("agent-1")).queryParam("agentId", "bad id!").get("/v1/flags/" + flag).then().statusCode(400);
        as(admin()).post("/v1/flags/" + unique("missing") + "/advance").then().statusCode(404);
    }
}

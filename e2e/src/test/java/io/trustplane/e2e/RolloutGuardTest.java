package io.trustplane.e2e;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Seed 004's behaviour-triggered rollback end to end: a flag created in gate-service is watched by telemetry-service
 * from its first (5 %) stage; samples a reporter with the service role posts below the stage's trigger change
 * nothing, above it the guard rolls the flag back in gate-service with nobody calling rollback. Agents cannot post
 * samples at all.
 */
@ExtendWith(E2e.Extension.class)
class RolloutGuardTest {

    private final E2e suite;

    RolloutGuardTest(E2e suite) {
        this.suite = suite;
    }

    private void sample(String flag, String arm, long requests, long errors, double p95) {
        suite.as("telemetry", suite.tokens().service()).body(Map.of("arm", arm, "requests", requests, "errors", errors,
                "p95LatencyMs", p95)).post("/v1/rollouts/" + flag + "/samples").then().statusCode(202);
    }

    private String status(String flag) {
        return JsonPath.from(suite.as("gate", suite.admin()).get("/v1/flags/" + flag).then().statusCode(200)
                .extract().asString()).getString("status");
    }

    /** The guard's verdict on the flag now, from the same limits it acts on; the rollout must be watched. */
    private Map<String, Object> guardView(String flag) {
        await().atMost(Duration.ofSeconds(60)).until(() -> view(flag) != null);
        return view(flag);
    }

    private Map<String, Object> view(String flag) {
        List<Map<String, Object>> items = JsonPath.from(suite.as("telemetry", suite.operator())
                .get("/v1/dashboard/rollouts").then().statusCode(200).extract().asString()).getList("items");
        return items.stream().filter(i -> flag.equals(i.get("flag"))).findFirst().orElse(null);
    }

    private void createFlag(String flag) {
        suite.as("gate", suite.admin()).body(Map.of("flag", flag, "description", "e2e"))
                .post("/v1/flags").then().statusCode(201).body("percent", equalTo(5));
    }

    @Test
    void atTheFivePercentStageAp95SixPercentAboveControlRollsTheFlagBack() {
        String flag = unique("e2e-five");
        createFlag(flag);
        sample(flag, "CONTROL", 300, 0, 100.0);
        sample(flag, "COHORT", 300, 0, 104.0); // +4 %: below the 5 % stage's +5 %
        Map<String, Object> below = guardView(flag);
        assertThat(((Number) below.get("percent")).intValue()).isEqualTo(5);
        assertThat(below.get("trigger")).isNull();
        assertThat(status(flag)).isEqualTo("ACTIVE");

        sample(flag, "COHORT", 300, 0, 108.0); // request-weighted p95 106: +6 %
        await().atMost(Duration.ofSeconds(60)).until(() -> "ROLLED_BACK".equals(status(flag)));
    }

    @Test
    void atTheFifteenPercentStageTheTriggerIsSevenPercent() {
        String flag = unique("e2e-fifteen");
        createFlag(flag);
        suite.as("gate", suite.admin()).post("/v1/flags/" + flag + "/advance").then().statusCode(200)
                .body("percent", equalTo(15));
        // the guard learns the stage from gate's events: until it has seen the advance it judges by the 5 % stage's
        // stricter trigger (a rollback on the safe side), so the cohort's samples wait until it watches the 15 % stage
        // (the control arm alone triggers nothing: a trigger compares both arms)
        sample(flag, "CONTROL", 300, 0, 100.0);
        await().atMost(Duration.ofSeconds(60)).until(() -> view(flag) != null
                && ((Number) view(flag).get("percent")).intValue() == 15);
        sample(flag, "COHORT", 300, 0, 106.0); // +6 %: would roll back at 5 %, not at 15 %
        await().atMost(Duration.ofSeconds(60)).until(() -> view(flag).get("cohort") != null
                && ((Number) ((Map<?, ?>) view(flag).get("cohort")).get("requests")).longValue() == 300);
        assertThat(view(flag).get("trigger")).isNull();
        assertThat(status(flag)).isEqualTo("ACTIVE");

        sample(flag, "COHORT", 300, 0, 110.0); // weighted 108: +8 %
        await().atMost(Duration.ofSeconds(60)).until(() -> "ROLLED_BACK".equals(status(flag)));
    }

    @Test
    void agentsCannotReportRolloutSamples() {
        String flag = unique("e2e-agent");
        createFlag(flag);
        suite.as("telemetry", suite.agent("self-reporter")).body(Map.of("arm", "COHORT", "requests", 10_000,
                "errors", 10_000, "p95LatencyMs", 99_999.0)).post("/v1/rollouts/" + flag + "/samples").then()
                .statusCode(403).contentType("application/problem+json");
        suite.as("telemetry", suite.tokens().service()).body(Map.of("arm", "COHORT", "requests", 10, "errors", 11,
                "p95LatencyMs", 1.0)).post("/v1/rollouts/" + flag + "/samples").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("errors"));
        assertThat(status(flag)).isEqualTo("ACTIVE");
    }
}

package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.trustplane.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Gate's creating routes hold their {@code Idempotency-Key} in their own transaction: duplicates sent at once run
 * once, and every one of them gets the answer of the one that ran.
 */
@QuarkusTest
class IdempotencyResourceTest extends GateTestSupport {

    private static final int PARALLEL = 8;

    private static void assertOneAnswer(Callable<Response> request, int status) throws Exception {
        List<Response> answers = Concurrently.run(PARALLEL, request);
        assertThat(answers).extracting(Response::statusCode).containsOnly(status);
        assertThat(answers).extracting(Response::asString).containsOnly(answers.get(0).asString());
        // exactly one ran; the others replayed its answer
        assertThat(answers).extracting(r -> r.header("Idempotent-Replayed")).containsOnlyOnce((String) null);
    }

    @Test
    void concurrentDuplicatesOfAnOutcomeMoveTheScoreOnce() throws Exception {
        String id = unique("idem");
        register(id, 500);
        String key = unique("outcome");
        assertOneAnswer(() -> as(service()).header("Idempotency-Key", key)
                .body(Map.of("claim", "tests pass", "confirmed", true)).post("/v1/agents/" + id + "/outcomes"), 200);
        // one confirmed outcome: +10, as AgentResourceTest's single outcome
        as(operator()).get("/v1/agents/" + id).then().body("trustScore", equalTo(510));
    }

    @Test
    void concurrentDuplicatesOfAFlagCreateAndAdvanceRunOnce() throws Exception {
        String flag = unique("flag");
        assertOneAnswer(() -> as(admin()).header("Idempotency-Key", flag)
                .body(Map.of("flag", flag, "description", "raced")).post("/v1/flags"), 201);
        String key = unique("advance");
        assertOneAnswer(() -> as(admin()).header("Idempotency-Key", key).post("/v1/flags/" + flag + "/advance"), 200);
        // the default stages are 5, 15, 50, 100 %: one advance is at 15
        as(operator()).get("/v1/flags/" + flag).then().statusCode(200).body("percent", equalTo(15));
    }

    @Test
    void concurrentDuplicatesOfASuspensionWriteOneEvent() throws Exception {
        String id = unique("idem");
        register(id, 500);
        String key = unique("suspend");
        assertOneAnswer(() -> as(operator()).header("Idempotency-Key", key).body(Map.of("reason", "raced"))
                .post("/v1/agents/" + id + "/suspend"), 200);
        as(operator()).get("/v1/agents/" + id).then().body("suspended", equalTo(true));
    }
}

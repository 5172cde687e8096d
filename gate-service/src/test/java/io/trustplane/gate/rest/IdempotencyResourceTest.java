package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.trustplane.testing.Concurrently;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Gate's creating routes hold their {@code Idempotency-Key} in their own transaction: duplicates sent at once run
 * once, and every one of them gets the answer of the one that ran. The tool-call routes link their key to the
 * decision (or result) they store, in the same transaction: a retry after a Redis flush replays, a retry whose first
 * answer was never stored answers from the stored decision, and nothing is decided twice.
 */
@QuarkusTest
class IdempotencyResourceTest extends GateTestSupport {

    private static final int PARALLEL = 8;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    private long count(String query, Object... args) {
        return pool.preparedQuery(query).execute(Tuple.from(args)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static Response decideWith(String agentId, String key, Object arguments) {
        return as(agent(agentId)).header("Idempotency-Key", key)
                .body(Map.of("agentId", agentId, "tool", "read_file", "arguments", arguments))
                .post("/v1/tool-calls/decisions");
    }

    /** A new agent (score 500) and its first tool call, a read of /a, decided ALLOW under the key. */
    private static Response allowedUnder(String agentId, String key) {
        register(agentId, 500);
        Response first = decideWith(agentId, key, Map.of("path", "/a"));
        first.then().statusCode(200).body("decision", equalTo("ALLOW"));
        return first;
    }

    private static Response reportWith(String agentId, String key, String decisionId, String status) {
        return as(agent(agentId)).header("Idempotency-Key", key)
                .body(Map.of("agentId", agentId, "decisionId", decisionId, "result", Map.of("ok", true),
                        "status", status))
                .post("/v1/tool-calls/results");
    }

    private static void assertReused(Response reused) {
        reused.then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused")).body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void aToolCallDecisionAndItsResultReplayAfterARedisFlushAndAreStoredOnce() {
        String id = unique("idem-tc");
        String decideKey = unique("decide");
        Response first = allowedUnder(id, decideKey);
        String decisionId = first.path("decisionId");

        redis.flushall();

        Response retry = decideWith(id, decideKey, Map.of("path", "/a"));
        retry.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(retry.asString()).isEqualTo(first.asString());
        assertThat(count("SELECT count(*) FROM tool_calls WHERE agent_id = $1", id)).isEqualTo(1);
        assertReused(decideWith(id, decideKey, Map.of("path", "/b")));
        assertThat(count("SELECT count(*) FROM tool_calls WHERE agent_id = $1", id)).isEqualTo(1);

        String reportKey = unique("report");
        Response reported = reportWith(id, reportKey, decisionId, "SUCCEEDED");
        reported.then().statusCode(200).body("receipt.decisionId", equalTo(decisionId));

        redis.flushall();

        Response again = reportWith(id, reportKey, decisionId, "SUCCEEDED");
        again.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(again.asString()).isEqualTo(reported.asString());
        assertReused(reportWith(id, reportKey, decisionId, "FAILED"));
        assertThat(count("SELECT count(*) FROM tool_calls WHERE agent_id = $1 AND result_status = 'SUCCEEDED'", id))
                .isEqualTo(1);
    }

    /**
     * What a process stopped after the decision's commit and before its answer leaves behind: the key linked to the
     * decision, unanswered, its pending time long over. The retry answers with that decision and decides nothing new.
     */
    @Test
    void aToolCallKeyLinkedButNeverAnsweredAnswersWithTheStoredDecisionAndResult() throws Exception {
        String id = unique("idem-tc");
        String decideKey = unique("decide");
        Response first = allowedUnder(id, decideKey);
        String decisionId = first.path("decisionId");
        unanswer(id, decideKey, decisionId);

        Response retry = decideWith(id, decideKey, Map.of("path", "/a"));
        retry.then().statusCode(200).header("Idempotent-Replayed", "true").body("decisionId", equalTo(decisionId));
        assertThat(retry.<Map<String, Object>>path("receipt")).isEqualTo(first.<Map<String, Object>>path("receipt"));
        assertThat(count("SELECT count(*) FROM tool_calls WHERE agent_id = $1", id)).isEqualTo(1);

        String reportKey = unique("report");
        Response reported = reportWith(id, reportKey, decisionId, "SUCCEEDED");
        reported.then().statusCode(200);
        unanswer(id, reportKey, decisionId);
        Response again = reportWith(id, reportKey, decisionId, "SUCCEEDED");
        // without the link this retry would be refused: the call already has its result
        again.then().statusCode(200).header("Idempotent-Replayed", "true");
        assertThat(again.<Map<String, Object>>path("receipt")).isEqualTo(reported.<Map<String, Object>>path("receipt"));
        assertReused(reportWith(id, reportKey, decisionId, "FAILED"));
    }

    @Test
    void aLinkedToolCallDecisionIsNotGivenAgainToASuspendedAgent() throws Exception {
        String id = unique("idem-tc-susp");
        String decideKey = unique("decide");
        Response first = allowedUnder(id, decideKey);
        unanswer(id, decideKey, first.path("decisionId"));
        as(operator()).body(Map.of("reason", "investigation")).post("/v1/agents/" + id + "/suspend").then()
                .statusCode(200);

        decideWith(id, decideKey, Map.of("path", "/a")).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("decision_withdrawn"))
                .body("field", equalTo("Idempotency-Key"));
        assertThat(count("SELECT count(*) FROM tool_calls WHERE agent_id = $1", id)).isEqualTo(1);
    }

    /** Puts a key back into the state a stopped process leaves: linked to {@code reference}, never answered. */
    private void unanswer(String caller, String key, String reference) throws Exception {
        // the stored key is SHA-256 of caller, newline, key (docs/security.md)
        String stored = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((caller + "\n" + key).getBytes(StandardCharsets.UTF_8)));
        assertThat(pool.preparedQuery("UPDATE idempotency_keys SET status = NULL, content_type = NULL, body = NULL,"
                        + " location = $2, pending_until = now() - interval '1 hour' WHERE key = $1")
                .execute(Tuple.of(stored, reference)).await().atMost(WAIT).rowCount()).isEqualTo(1);
    }

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

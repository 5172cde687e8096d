package io.trustplane.lease.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.trustplane.testing.Concurrently;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TrustplaneTestResource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code Idempotency-Key} on lease-service's creating routes: replays return the first answer, reuse is a 409, and
 * a Redis restart between a request and its retry changes nothing (the keys live in PostgreSQL). Task create,
 * transition and lease acquire hold the key in their own transaction: concurrent duplicates create once and all get
 * the first answer, and a creation that fails after its insert leaves neither the rows nor the key.
 */
@QuarkusTest
class IdempotencyResourceTest {

    private static RequestSpecification as(String agentId, String key) {
        return given().auth().oauth2(LeaseApi.agent(agentId)).contentType("application/json")
                .header("Idempotency-Key", key);
    }

    @Test
    void aRetriedTaskCreateAndAcquireReturnTheFirstAnswer() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("taskId", task, "title", "Idempotent task");
        String first = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201)
                .header("Idempotent-Replayed", nullValue()).extract().asString();
        String replay = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().asString();
        assertThat(replay).isEqualTo(first);
        // run again without the key, the create is refused: the replay did not run it twice
        LeaseApi.createTask(agent, task).statusCode(409);
        as(agent, key).body(Map.of("taskId", task, "title", "Another title")).post("/v1/tasks").then()
                .statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused")).body("errors[0].field", equalTo("Idempotency-Key"));

        String acquireKey = UUID.randomUUID().toString();
        Map<String, Object> acquire = Map.of("taskId", LeaseApi.newTaskId(), "phase", "SPEC", "ttlSeconds", 60);
        long token = as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .extract().jsonPath().getLong("fencingToken");
        as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("fencingToken", equalTo((int) token));
        // another agent's identical key is its own: it runs, and finds the lease held
        as("someone-else", acquireKey).body(acquire).post("/v1/leases").then().statusCode(409)
                .body("code", equalTo("lease_held"));
    }

    @Test
    void aRetryAfterARedisRestartReplaysTheFirstAnswer() {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("taskId", task, "title", "Survives a Redis restart");
        String first = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201).extract().asString();
        String acquireKey = UUID.randomUUID().toString();
        Map<String, Object> acquire = Map.of("taskId", task, "phase", "SPEC", "ttlSeconds", 60);
        long token = as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .extract().jsonPath().getLong("fencingToken");

        Infrastructure infra = TrustplaneTestResource.infrastructure();
        infra.stopRedis();
        infra.startRedis();

        String replay = as(agent, key).body(body).post("/v1/tasks").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().asString();
        assertThat(replay).isEqualTo(first);
        as(agent, acquireKey).body(acquire).post("/v1/leases").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("fencingToken", equalTo((int) token));
        // one task, one lease: run again without a key, both are refused as existing
        LeaseApi.createTask(agent, task).statusCode(409);
        given().auth().oauth2(LeaseApi.agent(agent)).contentType("application/json").body(acquire)
                .post("/v1/leases").then().statusCode(409);
    }

    private static final int PARALLEL = 8;

    /** Sends {@code request} {@link #PARALLEL} times at once; the answers as (status, body, replayed header). */
    private static List<String[]> inParallel(Callable<io.restassured.response.Response> request) throws Exception {
        return Concurrently.run(PARALLEL, request).stream().map(r -> new String[] {Integer.toString(r.statusCode()),
                r.asString(), r.header("Idempotent-Replayed")}).toList();
    }

    private static void assertOneAnswer(List<String[]> answers, int status) {
        assertThat(answers).extracting(a -> a[0]).containsOnly(Integer.toString(status));
        assertThat(answers).extracting(a -> a[1]).containsOnly(answers.get(0)[1]);
        // exactly one ran; the others replayed its answer
        assertThat(answers).extracting(a -> a[2]).containsOnlyOnce((String) null);
    }

    private static long count(String sql, String arg) throws SQLException {
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("trustplane_lease"), pg.user(), pg.password());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            ResultSet rows = s.executeQuery();
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("trustplane_lease"), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The stored form of a key, as docs/security.md describes it: SHA-256 of the caller, a newline and the key. */
    private static String storedKey(String caller, String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest((caller + "\n" + key).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void concurrentDuplicatesOfATaskCreateMakeOneTaskAndAllGetItsAnswer() throws Exception {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("taskId", task, "title", "Raced");
        assertOneAnswer(inParallel(() -> as(agent, key).body(body).post("/v1/tasks")), 201);
        assertThat(count("SELECT count(*) FROM tasks WHERE task_id = ?", task)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE task_id = ?", task)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE key = ? AND status = 201",
                storedKey(agent, key))).isEqualTo(1);
    }

    @Test
    void concurrentDuplicatesOfAnAcquireGrantOneLeaseAndAllGetItsToken() throws Exception {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> acquire = Map.of("taskId", task, "phase", "SPEC", "ttlSeconds", 60);
        assertOneAnswer(inParallel(() -> as(agent, key).body(acquire).post("/v1/leases")), 201);
        assertThat(count("SELECT count(*) FROM leases WHERE task_id = ?", task)).isEqualTo(1);
    }

    @Test
    void concurrentDuplicatesOfATransitionMoveOnceAndAllGetItsAnswer() throws Exception {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        LeaseApi.createTask(agent, task).statusCode(201);
        long token = ((Number) LeaseApi.acquire(agent, task, "STRATEGIZE", null).extract().path("fencingToken"))
                .longValue();
        String key = UUID.randomUUID().toString();
        Map<String, Object> move = Map.of("to", "SPEC", "fencingToken", token, "evidence",
                List.of(LeaseApi.evidence("strategy")));
        assertOneAnswer(inParallel(() -> as(agent, key).body(move).post("/v1/tasks/" + task + "/transitions")), 200);
        // the genesis entry and one transition; one lease per phase
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE task_id = ?", task)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM leases WHERE task_id = ?", task)).isEqualTo(2);
    }

    @Test
    void aCreateThatFailsAfterItsInsertLeavesNeitherTheTaskNorTheKeyAndItsRetryRuns() throws Exception {
        String agent = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String task = LeaseApi.newTaskId();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("taskId", task, "title", "Crashes half way");
        // the crash window: the task row and the key are written, then the ledger insert of the same transaction fails
        String trigger = "fail_" + task.replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
        execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.task_id = '" + task + "' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$");
        execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION "
                + trigger + "()");
        try {
            int status = as(agent, key).body(body).post("/v1/tasks").then().extract().statusCode();
            assertThat(status).isGreaterThanOrEqualTo(500);
            assertThat(count("SELECT count(*) FROM tasks WHERE task_id = ?", task)).isZero();
            assertThat(count("SELECT count(*) FROM idempotency_keys WHERE key = ?", storedKey(agent, key))).isZero();
        } finally {
            execute("DROP TRIGGER " + trigger + " ON ledger_entries");
            execute("DROP FUNCTION " + trigger + "()");
        }
        as(agent, key).body(body).post("/v1/tasks").then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertThat(count("SELECT count(*) FROM tasks WHERE task_id = ?", task)).isEqualTo(1);
    }
}

package io.trustplane.lease.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TrustplaneTestResource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.trustplane.lease.rest.LeaseApi.acquire;
import static io.trustplane.lease.rest.LeaseApi.agent;
import static io.trustplane.lease.rest.LeaseApi.createTask;
import static io.trustplane.lease.rest.LeaseApi.fencing;
import static io.trustplane.lease.rest.LeaseApi.newTaskId;
import static io.trustplane.lease.rest.LeaseApi.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** The work process end to end: leases, evidence gates, skips, backtracks, fencing and the ledger. */
@QuarkusTest
class WorkflowResourceTest {

    /** Mirrors trustplane.lease.evidence.* in application.properties. */
    static final Map<String, List<String>> EXIT_EVIDENCE = Map.of(
            "STRATEGIZE", List.of("strategy"), "SPEC", List.of("spec"), "PLAN", List.of("plan"),
            "THINK", List.of("analysis"), "IMPLEMENT", List.of("diff", "build"), "VERIFY", List.of("test-report"),
            "REVIEW", List.of("review"), "PR", List.of("pull-request"));

    static final List<String> PHASES = List.of("STRATEGIZE", "SPEC", "PLAN", "THINK", "IMPLEMENT", "VERIFY", "REVIEW",
            "PR", "MONITOR");

    private static long forward(String agentId, String task, String from, long token) {
        String to = PHASES.get(PHASES.indexOf(from) + 1);
        ExtractableResponse<Response> r = transition(agentId, task, to, token, EXIT_EVIDENCE.get(from))
                .statusCode(200).body("to", equalTo(to)).body("kind", equalTo("FORWARD"))
                .body("lease.phase", equalTo(to)).body("lease.holder", equalTo(agentId)).extract();
        return ((Number) r.path("fencingToken")).longValue();
    }

    private static int ledgerSize(String task) {
        return given().auth().oauth2(LeaseApi.TOKENS.operator()).when().get("/v1/tasks/" + task + "/ledger")
                .then().statusCode(200).extract().path("entries.size()");
    }

    @Test
    void theWholeWorkflowWithSkipBacktrackEvidenceGateAndStaleTokens() {
        String me = "agent-w";
        String task = newTaskId();
        createTask(me, task).statusCode(201).body("phase", equalTo("STRATEGIZE"));
        createTask(me, task).statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItem("taskId"));
        long token = ((Number) acquire(me, task, "STRATEGIZE", null).statusCode(201).extract().path("fencingToken"))
                .longValue();

        long first = token;
        token = forward(me, task, "STRATEGIZE", token);
        // the handed-off lease is gone: its token no longer passes the fence
        fencing(task, "STRATEGIZE", first).body("current", equalTo(false));
        fencing(task, "SPEC", token).body("current", equalTo(true));
        token = forward(me, task, "SPEC", token);

        int before = ledgerSize(task);
        // skip PLAN -> IMPLEMENT: 409, nothing stored
        transition(me, task, "IMPLEMENT", token, List.of("plan")).statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("phase_skip"))
                .body("errors.field", hasItem("to")).body("expected", equalTo("THINK"));
        // a token that is not the current one is refused
        transition(me, task, "THINK", token + 1, List.of("plan")).statusCode(409)
                .body("code", equalTo("stale_fencing_token")).body("errors.field", hasItem("fencingToken"));
        // another agent, even with the right token
        transition("agent-intruder", task, "THINK", token, List.of("plan")).statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("not_lease_holder"))
                .body("errors.field", hasItem("fencingToken"));
        // missing evidence
        transition(me, task, "THINK", token, List.of()).statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("evidence_gate_failed")).body("errors.field", hasItem("evidence"))
                .body("missing", hasItem("plan"));
        assertThat(ledgerSize(task)).isEqualTo(before);
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task).then().statusCode(200)
                .body("phase", equalTo("PLAN"));
        fencing(task, "PLAN", token).body("current", equalTo(true));

        token = forward(me, task, "PLAN", token);
        token = forward(me, task, "THINK", token);
        token = forward(me, task, "IMPLEMENT", token);
        // back from VERIFY to IMPLEMENT, then forward again
        ExtractableResponse<Response> back = transition(me, task, "IMPLEMENT", token, List.of()).statusCode(200)
                .body("kind", equalTo("BACKTRACK")).body("to", equalTo("IMPLEMENT")).extract();
        long backToken = ((Number) back.path("fencingToken")).longValue();
        assertThat(backToken).isEqualTo(2); // IMPLEMENT's key was granted once before
        // the first IMPLEMENT grant's token is stale now
        transition(me, task, "VERIFY", 1, EXIT_EVIDENCE.get("IMPLEMENT")).statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("stale_fencing_token"))
                .body("errors.field", hasItem("fencingToken"));
        token = forward(me, task, "IMPLEMENT", backToken);
        token = forward(me, task, "VERIFY", token);
        token = forward(me, task, "REVIEW", token);
        token = forward(me, task, "PR", token);
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task).then().statusCode(200)
                .body("phase", equalTo("MONITOR"));
        fencing(task, "MONITOR", token).body("current", equalTo(true));

        // genesis + 10 transitions (8 forward, 1 backtrack, 1 forward again)
        given().auth().oauth2(agent("agent-reader")).when().get("/v1/tasks/" + task + "/ledger").then()
                .statusCode(200).body("entries", hasSize(11)).body("entries[0].kind", equalTo("GENESIS"))
                .body("entries[1].data.evidence[0].kind", equalTo("strategy"))
                .body("entries[6].data.kind", equalTo("BACKTRACK"));
        String jsonl = given().auth().oauth2(agent(me)).accept("application/x-ndjson")
                .when().get("/v1/tasks/" + task + "/ledger").then().statusCode(200)
                .contentType(containsString("application/x-ndjson")).extract().asString();
        assertThat(jsonl.strip().split("\n")).hasSize(11).allSatisfy(l -> assertThat(l).startsWith("{\"seq\":"));
        assertThat(given().auth().oauth2(agent(me)).queryParam("format", "jsonl")
                .when().get("/v1/tasks/" + task + "/ledger").then().statusCode(200).extract().asString())
                .isEqualTo(jsonl);
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task + "/ledger/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("brokenChainAt", nullValue())
                .body("tamperedEntries", empty());

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("phase_skips_attempted_total{from=\"PLAN\",to=\"IMPLEMENT\"")
                .contains("phase_backtracks_total{from=\"VERIFY\",to=\"IMPLEMENT\"")
                .contains("phase_validations_failed_total{reason=\"evidence\"")
                .contains("phase_validations_failed_total{reason=\"stale_fencing_token\"")
                .contains("evidence_gate_failed_total{phase=\"PLAN\"")
                // the denominators of seed 001's two rate rules (the chart's PrometheusRule divides by them)
                .contains("evidence_gate_checked_total{phase=\"PLAN\"")
                .contains("phase_validations_total ");
    }

    @Test
    void startingAnywhereButStrategizeIsASkipAndBadTaskInputIsNamed() {
        String task = newTaskId();
        given().auth().oauth2(agent("agent-s")).contentType("application/json")
                .body(Map.of("taskId", task, "title", "t", "startPhase", "IMPLEMENT"))
                .when().post("/v1/tasks").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("strategize_skipped")).body("errors.field", hasItem("startPhase"));
        given().auth().oauth2(agent("agent-s")).when().get("/v1/tasks/" + task).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(agent("agent-s")).contentType("application/json")
                .body(Map.of("taskId", task, "title", "x".repeat(201)))
                .when().post("/v1/tasks").then().statusCode(400).body("errors.field", hasItem("title"));
        createTask("agent-s", task).statusCode(201);
        long token = ((Number) acquire("agent-s", task, "STRATEGIZE", null).extract().path("fencingToken")).longValue();
        given().auth().oauth2(agent("agent-s")).contentType("application/json")
                .body(Map.of("to", "NOWHERE", "fencingToken", token))
                .when().post("/v1/tasks/" + task + "/transitions").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("to"));
        given().auth().oauth2(agent("agent-s")).contentType("application/json")
                .body(Map.of("to", "SPEC", "fencingToken", token, "evidence",
                        List.of(Map.of("kind", "strategy", "uri", "s3://x", "sha256", "not-hex"))))
                .when().post("/v1/tasks/" + task + "/transitions").then().statusCode(400)
                .body("errors.field", hasItem(containsString("sha256")));
        given().auth().oauth2(agent("agent-s")).contentType("application/json")
                .body(Map.of("to", "SPEC", "fencingToken", token, "evidence",
                        java.util.Collections.nCopies(51, LeaseApi.evidence("strategy"))))
                .when().post("/v1/tasks/" + task + "/transitions").then().statusCode(400)
                .body("errors.field", hasItem("evidence"));
        given().auth().oauth2(agent("agent-s")).contentType("application/json").body("{\"to\": \"SPEC\", ")
                .when().post("/v1/tasks/" + task + "/transitions").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(agent("agent-s")).contentType("application/json")
                .body(Map.of("to", "SPEC", "fencingToken", token))
                .when().post("/v1/tasks/" + newTaskId() + "/transitions").then().statusCode(404);
        given().auth().oauth2(agent("agent-s")).when().get("/v1/tasks/" + task).then().statusCode(200)
                .body("phase", equalTo("STRATEGIZE")).body("version", equalTo(0));
    }

    @Test
    void aTransitionCarriesItsAttestationAndDriftIsDetected() {
        String me = "agent-att";
        String task = newTaskId();
        createTask(me, task).statusCode(201);
        long token = ((Number) acquire(me, task, "STRATEGIZE", null).extract().path("fencingToken")).longValue();
        Map<String, Object> prompt = Map.of("requirements", List.of("b", "a"), "qualityGates", List.of("tests"),
                "artifacts", List.of(), "contextSummary", "ctx", "agentType", "coder", "modelVersion", "m-1");
        ExtractableResponse<Response> r = given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("to", "SPEC", "fencingToken", token, "evidence", List.of(LeaseApi.evidence("strategy")),
                        "attestation", prompt))
                .when().post("/v1/tasks/" + task + "/transitions").then().statusCode(200)
                .body("attestation.baseline", equalTo(true)).body("attestation.drift", equalTo(false)).extract();
        String baselineHash = r.path("attestation.specHash");
        // same content, other list order: no drift; other content in SPEC: low drift
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "SPEC", "requirements", List.of("a", "b"),
                        "qualityGates", List.of("tests"), "contextSummary", "ctx", "agentType", "coder",
                        "modelVersion", "m-1"))
                .when().post("/v1/attestations").then().statusCode(200)
                .body("specHash", equalTo(baselineHash)).body("drift", equalTo(false));
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "SPEC", "requirements", List.of("a", "b", "c"),
                        "agentType", "coder", "modelVersion", "m-1"))
                .when().post("/v1/attestations").then().statusCode(200)
                .body("drift", equalTo(true)).body("severity", equalTo("LOW"));
        // VERIFY drift is high (attesting a phase takes its lease)
        acquire(me, task, "VERIFY", null).statusCode(201);
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "VERIFY", "agentType", "coder", "modelVersion", "m-1"))
                .when().post("/v1/attestations").then().statusCode(200).body("baseline", equalTo(true));
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "VERIFY", "agentType", "coder", "modelVersion", "m-2"))
                .when().post("/v1/attestations").then().statusCode(200)
                .body("drift", equalTo(true)).body("severity", equalTo("HIGH"));
        // a versioned reset: the next attestation is the baseline of version 2
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "VERIFY", "reason", "model upgrade"))
                .when().post("/v1/attestations/baselines/reset").then().statusCode(403);
        given().auth().oauth2(LeaseApi.TOKENS.operator()).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "VERIFY", "reason", "model upgrade"))
                .when().post("/v1/attestations/baselines/reset").then().statusCode(200)
                .body("retiredVersion", equalTo(1)).body("nextVersion", equalTo(2));
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "VERIFY", "agentType", "coder", "modelVersion", "m-2"))
                .when().post("/v1/attestations").then().statusCode(200)
                .body("baseline", equalTo(true)).body("baselineVersion", equalTo(2)).body("drift", equalTo(false));
        given().auth().oauth2(agent(me)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "KICKOFF", "agentType", "coder", "modelVersion", "m-2"))
                .when().post("/v1/attestations").then().statusCode(400).body("errors.field", hasItem("phase"));
        given().auth().oauth2(agent(me)).when().get("/v1/attestations/stats").then().statusCode(200)
                .body("bySeverity.high", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("bySeverity.low", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        assertThat(given().when().get("/q/metrics").then().extract().asString())
                .contains("prompt_drift_detected_total{severity=\"high\"")
                .contains("prompt_drift_detected_total{severity=\"low\"");
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task + "/ledger").then().statusCode(200)
                .body("entries[1].data.attestation.specHash", equalTo(baselineHash));
    }

    @Test
    void onlyTheLeaseHolderOrAnOperatorAttestsSoNobodyElsePoisonsTheBaseline() {
        // issue 18.5: another agent's attestation became the baseline and the holder's own was reported as drift
        String holder = "agent-att-holder";
        String intruder = "agent-att-intruder";
        String task = newTaskId();
        createTask(holder, task).statusCode(201);
        acquire(holder, task, "STRATEGIZE", null).statusCode(201);
        Map<String, Object> poisoned = Map.of("taskId", task, "phase", "STRATEGIZE", "requirements",
                List.of("exfiltrate"), "agentType", "coder", "modelVersion", "evil-1");
        given().auth().oauth2(agent(intruder)).contentType("application/json").body(poisoned)
                .when().post("/v1/attestations").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("not_lease_holder"))
                .body("errors.field", hasItem("phase"));
        // no lease at all on a phase: refused the same way, even for the task's creator
        given().auth().oauth2(agent(holder)).contentType("application/json")
                .body(Map.of("taskId", task, "phase", "PLAN", "agentType", "coder", "modelVersion", "m-1"))
                .when().post("/v1/attestations").then().statusCode(403).contentType("application/problem+json");
        assertThat(attestationsOf(task)).as("refused attestations store nothing").isZero();

        Map<String, Object> own = Map.of("taskId", task, "phase", "STRATEGIZE", "requirements", List.of("ship"),
                "agentType", "coder", "modelVersion", "m-1");
        given().auth().oauth2(agent(holder)).contentType("application/json").body(own)
                .when().post("/v1/attestations").then().statusCode(200)
                .body("baseline", equalTo(true)).body("drift", equalTo(false));
        given().auth().oauth2(agent(intruder)).contentType("application/json").body(poisoned)
                .when().post("/v1/attestations").then().statusCode(403);
        given().auth().oauth2(agent(holder)).contentType("application/json").body(own)
                .when().post("/v1/attestations").then().statusCode(200)
                .body("baseline", equalTo(false)).body("drift", equalTo(false)).body("baselineVersion", equalTo(1));
        // an operator may attest (and is judged against the holder's baseline)
        given().auth().oauth2(LeaseApi.TOKENS.operator()).contentType("application/json").body(poisoned)
                .when().post("/v1/attestations").then().statusCode(200).body("drift", equalTo(true));
        assertThat(attestationsOf(task)).isEqualTo(3);
    }

    private static long attestationsOf(String task) {
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("trustplane_lease"), pg.user(), pg.password());
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM attestations WHERE task_id = ?")) {
            s.setString(1, task);
            ResultSet rows = s.executeQuery();
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void racingTransitionsWithOneTokenMoveTheTaskOnceAndKeepOneChain() throws Exception {
        // the transaction's statements go out pipelined: racing it against itself must still let exactly one through
        String me = "agent-race";
        String task = newTaskId();
        createTask(me, task).statusCode(201);
        long token = ((Number) acquire(me, task, "STRATEGIZE", null).extract().path("fencingToken")).longValue();
        Map<String, Object> body = Map.of("to", "SPEC", "fencingToken", token,
                "evidence", List.of(LeaseApi.evidence("strategy")), "attestation", Map.of("requirements",
                        List.of("race"), "agentType", "coder", "modelVersion", "m-1"));
        int racers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(agent(me)).contentType("application/json").body(body)
                            .when().post("/v1/tasks/" + task + "/transitions").then().extract();
                }));
            }
            start.countDown();
            List<ExtractableResponse<Response>> done = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> a : answers) {
                done.add(a.get(60, TimeUnit.SECONDS));
            }
            assertThat(done).filteredOn(r -> r.statusCode() == 200).hasSize(1)
                    .allSatisfy(r -> assertThat((Boolean) r.path("attestation.baseline")).isTrue());
            assertThat(done).filteredOn(r -> r.statusCode() != 200).hasSize(racers - 1)
                    .allSatisfy(r -> {
                        assertThat(r.statusCode()).isEqualTo(409);
                        assertThat(r.contentType()).startsWith("application/problem+json");
                    });
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledgerSize(task)).isEqualTo(2);
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task + "/ledger/verify").then().statusCode(200)
                .body("valid", equalTo(true));
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("trustplane_lease"), pg.user(), pg.password());
                PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM attestations "
                        + "WHERE task_id = ?), "
                        + "(SELECT count(*) FROM leases WHERE task_id = ? AND status = 'ACTIVE')")) {
            s.setString(1, task);
            s.setString(2, task);
            ResultSet rows = s.executeQuery();
            rows.next();
            assertThat(rows.getLong(1)).as("attestations stored").isEqualTo(1);
            assertThat(rows.getLong(2)).as("active leases").isEqualTo(1);
        }
    }

    @Test
    void tamperingWithTheLedgerInPostgresIsFound() throws Exception {
        String me = "agent-t";
        String edited = newTaskId();
        String deleted = newTaskId();
        for (String task : List.of(edited, deleted)) {
            createTask(me, task).statusCode(201);
            long token = ((Number) acquire(me, task, "STRATEGIZE", null).extract().path("fencingToken")).longValue();
            token = forward(me, task, "STRATEGIZE", token);
            token = forward(me, task, "SPEC", token);
            forward(me, task, "PLAN", token);
        }
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("trustplane_lease"), pg.user(), pg.password())) {
            try (PreparedStatement s = c.prepareStatement("UPDATE ledger_entries SET body = replace(body, "
                    + "'\"to\":\"PLAN\"', '\"to\":\"IMPLEMENT\"') WHERE task_id = ? AND seq = 2")) {
                s.setString(1, edited);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM ledger_entries WHERE task_id = ? AND seq = 2")) {
                s.setString(1, deleted);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + edited + "/ledger/verify").then().statusCode(200)
                .body("valid", equalTo(false)).body("tamperedEntries", equalTo(List.of(2)))
                .body("brokenChainAt", nullValue());
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + deleted + "/ledger/verify").then().statusCode(200)
                .body("valid", equalTo(false)).body("brokenChainAt", equalTo(2)).body("tamperedEntries", empty());
    }

    @Test
    void aHandOffToAPhaseSomeoneElseHoldsIsContentionAndChangesNothing() {
        String me = "agent-c";
        String task = newTaskId();
        createTask(me, task).statusCode(201);
        long token = ((Number) acquire(me, task, "STRATEGIZE", null).extract().path("fencingToken")).longValue();
        acquire("agent-squatter", task, "SPEC", 120).statusCode(201);
        transition(me, task, "SPEC", token, EXIT_EVIDENCE.get("STRATEGIZE")).statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("phase_lease_contention"))
                .body("holder", equalTo("agent-squatter")).body("errors.field", hasItem("to"));
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task).then().statusCode(200)
                .body("phase", equalTo("STRATEGIZE"));
        fencing(task, "STRATEGIZE", token).body("current", equalTo(true));
        assertThat(ledgerSize(task)).isEqualTo(1);
        assertThat(given().when().get("/q/metrics").then().extract().asString())
                .contains("phase_lease_contention_total{phase=\"SPEC\"");
    }
}

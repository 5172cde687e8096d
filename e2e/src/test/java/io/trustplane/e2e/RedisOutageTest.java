package io.trustplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.log.C2spNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.trustplane.e2e.Flows.awaitAlert;
import static io.trustplane.e2e.Flows.evidence;
import static io.trustplane.e2e.Flows.startTask;
import static io.trustplane.e2e.Flows.toSpec;
import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Redis stopped for about 10 s while tasks move, leases change hands, a policy changes and an alert is worked
 * (issue 17): once it is back, every state change reaches its consumers exactly once. Every ledger entry is
 * anchored once and provably in the signed log, telemetry's counters moved by exactly what the test did (counted
 * by hand below, not read from the services), and gate-service's decision events add up (delivered + dropped =
 * produced). Redis is started again and the suite is ready before the test ends, so the other classes sharing
 * the suite are not disturbed.
 */
@ExtendWith(E2e.Extension.class)
class RedisOutageTest {

    /** How long Redis stays away, at least: the issue's outage. */
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** A bound, not a measurement: relays back off up to 5 s, and the runner is a loaded 2-core machine. */
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    private static final int TASKS = 4;
    private static final int HANDOVERS = 2;
    private static final int READS = 4;
    private static final int WRITES_BEFORE_POLICY = 2;
    private static final int WRITES_AFTER_POLICY = 3;
    /** Counted over the last hour: the test's events all fall inside it. */
    private static final int WINDOW = 3600;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final E2e suite;

    RedisOutageTest(E2e suite) {
        this.suite = suite;
    }

    @Test
    void aTenSecondRedisOutageLosesNoStateChangeAndAppliesEachOnce() throws Exception {
        String owner = unique("outage-owner");
        String taker = unique("outage-taker");
        String decider = unique("outage-decider");
        String prober = unique("outage-prober");
        String lateProber = unique("outage-late-prober");
        String resources = unique("outage-res");
        // before the outage: two registered agents, and an open alert to work on during it
        register(decider, 500); // VERIFIED: DATA_ANALYST (min VERIFIED) is allowed at the BASIS layer
        register(prober, 300);  // BASIC, claiming TRUSTED: a kernel denial and a BOUNDARY_TESTING alert
        register(lateProber, 300); // the same, but it probes while Redis is away
        evaluate(prober, "OBSERVER", "TRUSTED", "d", "read", "DENY");
        String alertId = (String) awaitAlert(suite, "BOUNDARY_TESTING", prober).get("id");

        quiesce();
        Map<String, Long> before = counters(decider);
        Map<String, Long> decisions = decisionFigures();
        Map<String, Long> retries = relayFailures();

        // the events the test causes, counted from what each call does (docs/events.md):
        // a task: task.created, lease.acquired (STRATEGIZE); each forward move: phase.transitioned (FORWARD),
        // lease.released (handed off), lease.acquired; a hand-over: lease.released, lease.acquired
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("tasks_created", (long) TASKS);
        expected.put("leases_acquired", (long) TASKS * 3 + HANDOVERS);
        expected.put("leases_released", (long) TASKS * 2 + HANDOVERS);
        expected.put("phase_transitions", (long) TASKS * 2);
        expected.put("evidence_gate_checked", (long) TASKS * 2);
        expected.put("agent:role_gate_denied", (long) WRITES_AFTER_POLICY);
        long allowed = READS + WRITES_BEFORE_POLICY;

        List<String> tasks = new ArrayList<>();
        Infrastructure infra = suite.infrastructure();
        long stopped = System.nanoTime();
        infra.stopRedis();
        boolean restarted = false;
        try {
            for (int i = 0; i < TASKS; i++) {
                String task = unique("T-outage");
                tasks.add(task);
                long token = toSpec(suite, owner, task, startTask(suite, owner, task));
                suite.as("lease", suite.agent(owner)).body(Map.of("to", "PLAN", "fencingToken", token,
                        "evidence", List.of(evidence("spec")))).post("/v1/tasks/" + task + "/transitions").then()
                        .statusCode(200).body("to", equalTo("PLAN"));
            }
            for (String task : tasks.subList(0, HANDOVERS)) {
                String leaseId = liveLease(owner, task);
                suite.as("lease", suite.agent(owner)).delete("/v1/leases/" + leaseId).then().statusCode(200);
                suite.as("lease", suite.agent(taker)).body(Map.of("taskId", task, "phase", "PLAN"))
                        .post("/v1/leases").then().statusCode(201).body("holder", equalTo(taker));
            }
            String resource = resources + "/db";
            for (int i = 0; i < READS; i++) {
                evaluate(decider, "DATA_ANALYST", null, resource, "read", "ALLOW");
            }
            for (int i = 0; i < WRITES_BEFORE_POLICY; i++) {
                evaluate(decider, "DATA_ANALYST", null, resource, "write", "ALLOW");
            }
            String policy = suite.as("gate", suite.admin()).body(Map.of("name", "no writes during the drill",
                            "priority", 10, "role", "DATA_ANALYST", "actions", List.of("write"),
                            "resourcePattern", resources + "/*", "effect", "DENY"))
                    .post("/v1/policies").then().statusCode(201).extract().path("id");
            for (int i = 0; i < WRITES_AFTER_POLICY; i++) {
                evaluate(decider, "DATA_ANALYST", null, resource, "write", "DENY");
            }
            // its gaming.signal has no anchor, so gate appends it to tp:events itself; Redis is away, so the signal
            // becomes an outbox row that the relay delivers once Redis is back
            evaluate(lateProber, "OBSERVER", "TRUSTED", "d", "read", "DENY");
            moveAlert(alertId, "INVESTIGATING");
            moveAlert(alertId, "RESOLVED");

            // each producer holds its events: its relay found Redis away and is retrying
            await("every relay retries while Redis is away").atMost(RECOVERY)
                    .until(() -> relayFailures().entrySet().stream().allMatch(e -> e.getValue() > retries.get(e.getKey())));
            await("the outage lasts " + OUTAGE.toSeconds() + " s").atMost(OUTAGE.plusSeconds(5))
                    .until(() -> System.nanoTime() - stopped >= OUTAGE.toNanos());
            infra.startRedis();
            restarted = true;
            awaitReady();
            suite.as("gate", suite.admin()).delete("/v1/policies/" + policy).then().statusCode(200);
        } finally {
            if (!restarted) {
                infra.startRedis();
                awaitReady();
            }
        }

        // every effect arrives ...
        await("telemetry counted every event of the outage").atMost(RECOVERY)
                .until(() -> delta(before, counters(decider)).equals(expected));
        await("every ledger entry is anchored").atMost(RECOVERY).until(() -> unanchored(owner, tasks) == 0);
        assertThat(awaitAlert(suite, "BOUNDARY_TESTING", lateProber)).as("the probe made while Redis was away")
                .containsEntry("agentId", lateProber);
        await("the decision buffer drained").atMost(RECOVERY).until(() -> decisionFigures().get("pending") == 0);
        // a relay killed right after XADD, before it deletes its rows, sends those entries again, byte for byte and
        // under the same event ids: forced here for the first task's events on both streams
        assertThat(resend("tp:events", tasks.get(0))).as("task, lease and phase events of a handed-over task")
                .isEqualTo(10); // task.created; lease.acquired x4; lease.released x3; phase.transitioned x2
        assertThat(resend("tp:anchor", tasks.get(0))).as("its ledger entries").isEqualTo(3);
        // ... and once: when nothing is in flight any more, no event was applied a second time
        quiesce();
        assertThat(delta(before, counters(decider))).as("counters moved by exactly what the test did")
                .isEqualTo(expected);

        C2spNote.Checkpoint head = Anchors.head(suite);
        List<JsonNode> anchors = Anchors.of(suite, owner);
        for (String task : tasks) {
            List<Map<String, Object>> entries = ledger(task);
            assertThat(entries).as("genesis and two moves of %s", task).hasSize(3);
            for (Map<String, Object> entry : entries) {
                long seq = ((Number) entry.get("seq")).longValue();
                List<JsonNode> found = anchors.stream().filter(r -> isAnchorOf(r, task, seq)).toList();
                assertThat(found).as("anchors of %s#%d", task, seq).hasSize(1);
                assertThat(Anchors.signedLeaf(found.get(0)).at("/metadata/event/data/hash").asText())
                        .isEqualTo(entry.get("hash"));
                Anchors.assertIncluded(suite, found.get(0), head, task + "#" + seq);
            }
        }
        List<JsonNode> alertAnchors = Anchors.of(suite, prober).stream()
                .filter(r -> alertId.equals(r.at("/metadata/event/data/alertId").asText())).toList();
        for (String type : List.of("alert.updated", "alert.resolved")) {
            List<JsonNode> found = alertAnchors.stream().filter(r -> type.equals(r.at("/metadata/event/type").asText()))
                    .toList();
            assertThat(found).as("anchors of the alert's %s", type).hasSize(1);
            Anchors.assertIncluded(suite, found.get(0), head, type);
        }

        Map<String, Long> after = decisionFigures();
        long produced = after.get("produced") - decisions.get("produced");
        long delivered = after.get("delivered") - decisions.get("delivered");
        long dropped = after.get("dropped") - decisions.get("dropped");
        assertThat(produced).as("one buffered event per ALLOW").isEqualTo(allowed);
        assertThat(delivered + dropped).as("delivered + dropped = produced").isEqualTo(produced);
        assertThat(counter("role_gate_allowed", decider) - before.get("agent:role_gate_allowed"))
                .as("the ALLOWs telemetry counted are the delivered ones").isEqualTo(allowed - dropped);
    }

    // ---------------------------------------------------------------- the calls

    private void register(String agent, int score) {
        suite.as("gate", suite.operator()).body(Map.of("trustScore", score, "frameworks", List.of(),
                "attributes", Map.of("team", "e2e"))).put("/v1/agents/" + agent).then().statusCode(200);
    }

    private void evaluate(String agent, String role, String tier, String resource, String action, String decision) {
        Map<String, Object> body = new HashMap<>();
        body.put("agentId", agent);
        body.put("role", role);
        if (tier != null) {
            body.put("tier", tier);
        }
        body.put("context", Map.of("resourceId", resource, "action", action));
        suite.as("gate", suite.agent(agent)).body(body).post("/v1/role-gates/evaluate").then().statusCode(200)
                .body("decision", equalTo(decision));
    }

    private void moveAlert(String id, String status) {
        suite.as("telemetry", suite.operator()).body(Map.of("status", status, "reason", "Redis outage drill"))
                .patch("/v1/alerts/" + id).then().statusCode(200).body("status", equalTo(status));
    }

    private String liveLease(String agent, String task) {
        List<Map<String, Object>> leases = JsonPath.from(suite.as("lease", suite.agent(agent)).queryParam("taskId", task)
                .get("/v1/leases").then().statusCode(200).extract().asString()).getList("$");
        assertThat(leases).as("live leases of %s", task).hasSize(1);
        return (String) leases.get(0).get("leaseId");
    }

    private List<Map<String, Object>> ledger(String task) {
        return JsonPath.from(suite.as("lease", suite.operator()).get("/v1/tasks/" + task + "/ledger").then()
                .statusCode(200).extract().asString()).getList("entries");
    }

    private static boolean isAnchorOf(JsonNode record, String task, long seq) {
        return "ledger.appended".equals(record.at("/metadata/event/type").asText())
                && task.equals(record.at("/metadata/event/data/taskId").asText())
                && record.at("/metadata/event/data/seq").asLong() == seq;
    }

    private long unanchored(String agent, List<String> tasks) throws Exception {
        List<JsonNode> anchors = Anchors.of(suite, agent);
        long missing = 0;
        for (String task : tasks) {
            for (Map<String, Object> entry : ledger(task)) {
                long seq = ((Number) entry.get("seq")).longValue();
                missing += anchors.stream().noneMatch(r -> isAnchorOf(r, task, seq)) ? 1 : 0;
            }
        }
        return missing;
    }

    /**
     * Appends every distinct event about {@code task} on {@code stream} once more, as a relay that died between its
     * XADD and its commit would, and returns how many.
     */
    private int resend(String stream, String task) throws Exception {
        List<?> entries = (List<?>) suite.redisReply("XREVRANGE", stream, "+", "-", "COUNT", "20000");
        Map<String, String> byId = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) { // oldest first
            List<?> fields = (List<?>) ((List<?>) entries.get(i)).get(1);
            String payload = (String) fields.get(1);
            JsonNode event = JSON.readTree(payload);
            if (task.equals(event.at("/data/taskId").asText())) {
                byId.putIfAbsent(event.get("id").asText(), payload);
            }
        }
        for (String payload : byId.values()) {
            assertThat(suite.redisReply("XADD", stream, "*", "event", payload)).isInstanceOf(String.class);
        }
        return byId.size();
    }

    // ---------------------------------------------------------------- the figures

    private long counter(String name, String agent) {
        var req = suite.as("telemetry", suite.operator()).queryParam("window", WINDOW);
        if (agent != null) {
            req = req.queryParam("agentId", agent);
        }
        return JsonPath.from(req.get("/v1/counters/" + name).then().statusCode(200).extract().asString())
                .getLong("value");
    }

    /** The global counters the test moves, and the decider's own decision counters (prefixed {@code agent:}). */
    private Map<String, Long> counters(String decider) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String name : List.of("tasks_created", "leases_acquired", "leases_released", "phase_transitions",
                "evidence_gate_checked")) {
            m.put(name, counter(name, null));
        }
        m.put("agent:role_gate_denied", counter("role_gate_denied", decider));
        m.put("agent:role_gate_allowed", counter("role_gate_allowed", decider));
        return m;
    }

    /** What moved since {@code before}, without the ALLOW count (droppable, checked against the drop count). */
    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> now) {
        Map<String, Long> d = new LinkedHashMap<>();
        now.forEach((k, v) -> {
            if (!k.equals("agent:role_gate_allowed")) {
                d.put(k, v - before.get(k));
            }
        });
        return d;
    }

    private Map<String, Long> decisionFigures() {
        Map<String, Object> figures = JsonPath.from(suite.as("gate", suite.operator()).get("/v1/stats").then()
                .statusCode(200).extract().asString()).getMap("decisionEvents");
        Map<String, Long> m = new HashMap<>();
        figures.forEach((k, v) -> m.put(k, ((Number) v).longValue()));
        return m;
    }

    /** {@code trustplane_outbox_relay_failures_total} of each service that relays an outbox. */
    private Map<String, Long> relayFailures() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String service : List.of("lease", "gate", "telemetry")) {
            String body = RestAssured.given().baseUri(suite.url(service)).get("/q/metrics").then().statusCode(200)
                    .extract().asString();
            double sum = 0;
            for (String line : body.split("\n")) {
                if (line.startsWith("trustplane_outbox_relay_failures_total")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            m.put(service, (long) sum);
        }
        return m;
    }

    // ---------------------------------------------------------------- waiting

    private void awaitReady() {
        await("every service is ready again").atMost(RECOVERY).until(() -> suite.urls().stream()
                .allMatch(url -> RestAssured.given().baseUri(url).get("/q/health/ready").statusCode() == 200));
    }

    /**
     * Waits until nothing is in flight: every outbox is empty, gate's decision buffer is drained, and telemetry's and
     * provenance's consumer groups have read and acknowledged everything on their streams.
     */
    private void quiesce() {
        await("nothing in flight").atMost(RECOVERY).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (String service : List.of("lease", "gate", "telemetry")) {
                if (suite.count(service, "SELECT count(*) FROM event_outbox") > 0) {
                    return false;
                }
            }
            return decisionFigures().get("pending") == 0
                    && drained("tp:events", "telemetry-service") && drained("tp:anchor", "provenance-service");
        });
    }

    /** The group has been handed the stream's last entry and acknowledged everything it was handed. */
    private boolean drained(String stream, String group) throws Exception {
        Map<String, Object> info = pairs(suite.redisReply("XINFO", "STREAM", stream));
        for (Object g : (List<?>) suite.redisReply("XINFO", "GROUPS", stream)) {
            Map<String, Object> fields = pairs(g);
            if (group.equals(fields.get("name"))) {
                return ((Long) fields.get("pending")) == 0
                        && fields.get("last-delivered-id").equals(info.get("last-generated-id"));
            }
        }
        return false;
    }

    private static Map<String, Object> pairs(Object reply) {
        List<?> list = (List<?>) reply;
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            m.put((String) list.get(i), list.get(i + 1));
        }
        return m;
    }
}

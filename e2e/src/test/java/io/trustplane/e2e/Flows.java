package io.trustplane.e2e;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/** What the scenarios do through the real APIs: tasks and phases in lease-service, alerts in telemetry-service. */
final class Flows {

    /**
     * A bound, not a measurement: the rule engine evaluates touched counters every second and an alert usually
     * appears within 1-4 s, but the first scenario after start-up meets cold JVMs on a loaded 2-core runner.
     */
    static final Duration ALERT_WAIT = Duration.ofSeconds(60);
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);

    private Flows() {
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    static Map<String, Object> evidence(String kind) {
        return Map.of("kind", kind, "uri", "s3://evidence/" + kind, "sha256", "a".repeat(64));
    }

    /** Creates a task in STRATEGIZE and takes its lease; returns the fencing token. */
    static long startTask(E2e s, String agent, String task) {
        s.as("lease", s.agent(agent)).body(Map.of("taskId", task, "title", "Task " + task))
                .post("/v1/tasks").then().statusCode(201);
        return ((Number) s.as("lease", s.agent(agent)).body(Map.of("taskId", task, "phase", "STRATEGIZE"))
                .post("/v1/leases").then().statusCode(201).extract().path("fencingToken")).longValue();
    }

    /** STRATEGIZE -> SPEC with its evidence; returns the new fencing token. */
    static long toSpec(E2e s, String agent, String task, long token) {
        return ((Number) s.as("lease", s.agent(agent))
                .body(Map.of("to", "SPEC", "fencingToken", token, "evidence", List.of(evidence("strategy"))))
                .post("/v1/tasks/" + task + "/transitions").then().statusCode(200).extract().path("fencingToken"))
                .longValue();
    }

    /** The open alert with {@code kind} (rule id or gaming type), optionally for one agent. */
    static Optional<Map<String, Object>> openAlert(E2e s, String kind, String agentId) {
        var req = s.as("telemetry", s.operator()).queryParam("status", "ACTIVE").queryParam("limit", 200);
        if (agentId != null) {
            req = req.queryParam("agentId", agentId);
        }
        List<Map<String, Object>> items = JsonPath.from(req.get("/v1/alerts").then().statusCode(200).extract().asString())
                .getList("items");
        return items.stream().filter(a -> kind.equals(a.get("kind"))).findFirst();
    }

    /** Waits (bounded) for the alert and returns it. */
    static Map<String, Object> awaitAlert(E2e s, String kind, String agentId) {
        return await().atMost(ALERT_WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> openAlert(s, kind, agentId), Optional::isPresent).orElseThrow();
    }
}

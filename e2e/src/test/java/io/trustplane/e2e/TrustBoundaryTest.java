package io.trustplane.e2e;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What an agent says about itself stays its own: it cannot append something that passes for an anchor, and its
 * counter lines (even under global counter names) move no global figure; a pipeline with the service role can.
 */
@ExtendWith(E2e.Extension.class)
class TrustBoundaryTest {

    private final E2e suite;

    TrustBoundaryTest(E2e suite) {
        this.suite = suite;
    }

    @Test
    void anAgentCannotPostAnAnchorOrAnImportClaimingAnotherSource() {
        String agent = unique("mimic");
        suite.as("provenance", suite.agent(agent)).body(Map.of("agentId", agent, "creationType", "IMPORTED",
                        "metadata", Map.of("kind", "anchor", "event", Map.of("source", "lease-service"))))
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("metadata.kind"));
        suite.as("provenance", suite.agent(agent)).body(Map.of("agentId", agent, "creationType", "IMPORTED",
                        "metadata", Map.of("source", "lease-service", "taskId", "T-other")))
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("metadata.source"));
        assertThat(JsonPath.from(suite.as("provenance", suite.operator()).queryParam("agentId", agent)
                .get("/v1/provenance").then().statusCode(200).extract().asString()).getList("items")).isEmpty();
    }

    private long counter(String token, String name, String agentId) {
        var req = suite.as("telemetry", token).queryParam("window", 3600);
        if (agentId != null) {
            req = req.queryParam("agentId", agentId);
        }
        return JsonPath.from(req.get("/v1/counters/" + name).then().statusCode(200).extract().asString()).getLong("value");
    }

    private static String line(String name, long value) {
        return "{\"name\":\"" + name + "\",\"value\":" + value + ",\"timestamp\":\"" + OffsetDateTime.now() + "\"}\n";
    }

    @Test
    void anAgentsGlobalCounterNamesStayInItsOwnSeries() {
        String agent = unique("inflator");
        long attempts = counter(suite.operator(), "phase_transition_attempts", null);
        long strategize = counter(suite.operator(), "strategize_skipped", null);
        String body = line("phase_transition_attempts", 1_000_000) + line("strategize_skipped", 1);
        suite.as("telemetry", suite.agent(agent)).contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/v1/events").then().statusCode(202);
        // stored (202 means durable), in the agent's own series only
        assertThat(counter(suite.agent(agent), "phase_transition_attempts", agent)).isEqualTo(1_000_000);
        assertThat(counter(suite.operator(), "phase_transition_attempts", null)).isLessThan(attempts + 1_000_000);
        assertThat(counter(suite.operator(), "strategize_skipped", null)).isEqualTo(strategize);
        // negative values stay refused, naming the field
        suite.as("telemetry", suite.agent(agent)).contentType("application/x-ndjson")
                .body(line("phase_transition_attempts", -5).getBytes(StandardCharsets.UTF_8)).post("/v1/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("lines[1].value"));
    }

    @Test
    void aPipelineWithTheServiceRoleFeedsTheGlobalSeries() {
        String agent = unique("pipeline-fed");
        long before = counter(suite.operator(), "phase_backtracks", null);
        suite.as("telemetry", suite.tokens().service()).contentType("application/x-ndjson").queryParam("agentId", agent)
                .body(line("phase_backtracks", 3).getBytes(StandardCharsets.UTF_8)).post("/v1/events")
                .then().statusCode(202);
        assertThat(counter(suite.operator(), "phase_backtracks", null)).isGreaterThanOrEqualTo(before + 3);
    }
}

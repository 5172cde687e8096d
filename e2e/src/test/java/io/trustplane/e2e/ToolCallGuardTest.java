package io.trustplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.testing.log.C2spNote;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.trustplane.e2e.Flows.awaitAlert;
import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tool-call guard across the suite: gate-service's decision and result receipts become anchors in
 * provenance-service's log whose inclusion proofs verify against a signed checkpoint (with the testing module's own
 * RFC 9162 code) and whose link hash matches; a result without an ALLOW becomes a HIGH alert in telemetry-service;
 * and the installed hook process, started per call as a runtime starts it, allows, denies and escalates through the
 * real guard in both shapes.
 */
@ExtendWith(E2e.Extension.class)
class ToolCallGuardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path hook;
    private final E2e suite;

    ToolCallGuardTest(E2e suite) {
        this.suite = suite;
    }

    /** Installs the hook as a user would (scripts/install-hook), into a temporary directory. */
    @BeforeAll
    static void installHook() throws Exception {
        Path dir = Files.createTempDirectory("trustplane-hook");
        Process p = new ProcessBuilder(E2e.ROOT.resolve("scripts/install-hook").toString(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        hook = dir.resolve("run");
    }

    private void register(String agent, int score) {
        suite.as("gate", suite.operator()).body(Map.of("trustScore", score)).put("/v1/agents/" + agent).then()
                .statusCode(200);
    }

    private Map<String, Object> decide(String agent, String tool, Map<String, Object> arguments) {
        return suite.as("gate", suite.agent(agent)).body(Map.of("agentId", agent, "tool", tool, "arguments", arguments))
                .post("/v1/tool-calls/decisions").then().statusCode(200).extract().as(Map.class);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void decisionAndResultReceiptsAreAnchoredWithVerifyingProofsAndLinkedByHash() throws Exception {
        String agent = unique("guarded");
        register(agent, 500);
        Map<String, Object> arguments = Map.of("path", "/repo/build.gradle");
        Map<String, Object> decision = decide(agent, "read_file", arguments);
        assertThat(decision.get("decision")).isEqualTo("ALLOW");
        @SuppressWarnings("unchecked")
        Map<String, Object> receipt = (Map<String, Object>) decision.get("receipt");
        Map<String, Object> result = suite.as("gate", suite.agent(agent)).body(Map.of("agentId", agent,
                        "decisionId", decision.get("decisionId"), "arguments", arguments, "result", Map.of("lines", 42),
                        "status", "SUCCEEDED"))
                .post("/v1/tool-calls/results").then().statusCode(200).extract().path("receipt");
        String decisionHash = sha256(new JsonCanonicalizer(JSON.writeValueAsString(receipt)).getEncodedUTF8());
        assertThat(result.get("decisionReceiptHash")).isEqualTo(decisionHash);

        await().atMost(Duration.ofSeconds(30)).until(() -> Anchors.of(suite, agent, "tool_call.decided").size() == 1
                && Anchors.of(suite, agent, "tool_call.completed").size() == 1);
        C2spNote.Checkpoint head = Anchors.head(suite);
        for (String type : List.of("tool_call.decided", "tool_call.completed")) {
            JsonNode record = Anchors.of(suite, agent, type).get(0);
            JsonNode leaf = Anchors.signedLeaf(record);
            assertThat(leaf.at("/metadata/submitter").asText()).isEqualTo("gate-service");
            JsonNode anchored = leaf.at("/metadata/event/data/receipt");
            assertThat(anchored.get("decisionId").asText()).isEqualTo(decision.get("decisionId"));
            if (type.equals("tool_call.completed")) {
                assertThat(anchored.get("decisionReceiptHash").asText()).isEqualTo(decisionHash);
            } else {
                assertThat(sha256(new JsonCanonicalizer(anchored.toString()).getEncodedUTF8())).isEqualTo(decisionHash);
            }
            Anchors.assertIncluded(suite, record, head, "the " + type + " anchor");
        }
    }

    @Test
    void aResultWithoutAnAllowRaisesAHighAlert() {
        String agent = unique("rogue");
        register(agent, 500);
        suite.as("gate", suite.agent(agent)).body(Map.of("agentId", agent, "callId", "never-asked",
                        "result", "rm -rf done", "status", "SUCCEEDED"))
                .post("/v1/tool-calls/results").then().statusCode(409).contentType("application/problem+json");
        Map<String, Object> alert = awaitAlert(suite, "UNAUTHORIZED_TOOL_CALL", agent);
        assertThat(alert.get("severity")).isEqualTo("HIGH");
    }

    record Run(int exit, String stdout, String stderr) {
    }

    private Run hook(String agent, String shape, String event, String failMode) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(hook.toString(), shape);
        pb.environment().put("TRUSTPLANE_GATE_URL", suite.url("gate"));
        pb.environment().put("TRUSTPLANE_TOKEN", suite.agent(agent));
        pb.environment().put("TRUSTPLANE_HOOK_FAIL", failMode);
        pb.environment().put("TRUSTPLANE_HOOK_TIMEOUT_MS", "10000");
        // a cache from another JDK build or other flags must fail loudly here, not be ignored
        pb.environment().put("TRUSTPLANE_HOOK_AOT_MODE", "on");
        Process p = pb.start();
        p.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    private static String claude(String event, String tool, String input, String useId) {
        return "{\"hook_event_name\":\"" + event + "\",\"tool_name\":\"" + tool + "\",\"tool_input\":" + input
                + ",\"tool_use_id\":\"" + useId + "\"" + (event.equals("PostToolUse") ? ",\"tool_response\":{}" : "")
                + "}";
    }

    @Test
    void theInstalledHookAllowsDeniesAndEscalatesThroughTheRealGuard() throws Exception {
        String agent = unique("hooked");
        register(agent, 300); // BASIC
        String tool = "mcp__ci__deploy_" + agent.replace('-', '_');
        String policy = suite.as("gate", suite.admin()).body(Map.of("name", "escalate " + tool, "priority", 70,
                "actions", List.of(tool), "effect", "ESCALATE")).post("/v1/policies").then().statusCode(201)
                .extract().path("id");
        String denyTool = "drop_" + agent.replace('-', '_');
        String denyPolicy = suite.as("gate", suite.admin()).body(Map.of("name", "deny " + denyTool, "priority", 70,
                "actions", List.of(denyTool), "effect", "DENY")).post("/v1/policies").then().statusCode(201)
                .extract().path("id");
        try {
            Run allowed = hook(agent, "claude-code", claude("PreToolUse", "Read", "{\"file_path\":\"/repo/a\"}",
                    "toolu_" + agent + "_1"), "closed");
            assertThat(allowed.exit()).as(allowed.stderr()).isZero();
            assertThat(allowed.stdout()).contains("\"permissionDecision\":\"allow\"");
            Run reported = hook(agent, "claude-code", claude("PostToolUse", "Read", "{\"file_path\":\"/repo/a\"}",
                    "toolu_" + agent + "_1"), "closed");
            assertThat(reported.exit()).isZero();
            assertThat(reported.stdout()).doesNotContain("block");

            Run denied = hook(agent, "claude-code", claude("PreToolUse", denyTool, "{}", "toolu_" + agent + "_2"),
                    "closed");
            assertThat(denied.exit()).isZero();
            assertThat(denied.stdout()).contains("\"permissionDecision\":\"deny\"").contains("denied");

            String deploy = claude("PreToolUse", tool, "{\"env\":\"prod\"}", "toolu_" + agent + "_3");
            Run escalated = hook(agent, "claude-code", deploy, "closed");
            assertThat(escalated.stdout()).contains("\"permissionDecision\":\"deny\"").contains("escalation")
                    .doesNotContain("\"ask\"");
            String escalation = JSON.readTree(escalated.stdout()).at("/hookSpecificOutput/permissionDecisionReason")
                    .asText().replaceAll("(?s).*escalation ([0-9a-f-]{36}).*", "$1");
            suite.as("gate", suite.operator()).body(Map.of("decision", "ALLOW", "note", "prod deploy ok"))
                    .post("/v1/escalations/" + escalation + "/decision").then().statusCode(200);
            Run approved = hook(agent, "claude-code", claude("PreToolUse", tool, "{\"env\":\"prod\"}",
                    "toolu_" + agent + "_4"), "closed");
            assertThat(approved.stdout()).contains("\"permissionDecision\":\"allow\"");
            Run onceOnly = hook(agent, "claude-code", claude("PreToolUse", tool, "{\"env\":\"prod\"}",
                    "toolu_" + agent + "_5"), "closed");
            assertThat(onceOnly.stdout()).contains("\"permissionDecision\":\"deny\"");

            Run generic = hook(agent, "generic", "{\"event\":\"pre\",\"tool\":\"list_dir\",\"arguments\":{\"p\":\".\"}}",
                    "closed");
            assertThat(generic.exit()).isZero();
            assertThat(generic.stdout()).contains("\"decision\":\"allow\"").contains("\"signature\"");
            Run genericDenied = hook(agent, "generic", "{\"event\":\"pre\",\"tool\":\"" + denyTool
                    + "\",\"arguments\":{}}", "open");
            assertThat(genericDenied.exit()).isEqualTo(2);
            assertThat(genericDenied.stdout()).contains("\"decision\":\"deny\"");

            Run malformed = hook(agent, "claude-code", "{\"hook_event_name\":\"PreToolUse\",\"tool_input\":{}}",
                    "closed");
            assertThat(malformed.exit()).isEqualTo(2);
            assertThat(malformed.stderr()).contains("tool_name");
        } finally {
            suite.as("gate", suite.admin()).delete("/v1/policies/" + policy).then().statusCode(200);
            suite.as("gate", suite.admin()).delete("/v1/policies/" + denyPolicy).then().statusCode(200);
        }
    }
}

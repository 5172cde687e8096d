package io.trustplane.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.trustplane.client.Model;
import io.trustplane.client.Phase;
import io.trustplane.client.TrustplaneClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real MCP client (the MCP Java SDK's, over Streamable HTTP) lists Trustplane's tools and calls each one against
 * the running suite; each call's effect is checked through the REST API with the Java client.
 */
@ExtendWith(McpSuite.Extension.class)
class McpToolsIT {

    static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> TOOLS = List.of("check_action", "check_tool_call", "report_tool_result", "create_task",
            "acquire_lease", "renew_lease", "release_lease", "transition_phase", "record_provenance", "verify_record",
            "get_task", "report_outcome");

    /** The text of a successful call, as JSON. */
    static JsonNode ok(McpSchema.CallToolResult result) throws Exception {
        assertThat(result.isError()).as("tool error: %s", text(result)).isNotEqualTo(Boolean.TRUE);
        return JSON.readTree(text(result));
    }

    /** The problem document a refused call carries. */
    static JsonNode refused(McpSchema.CallToolResult result) throws Exception {
        assertThat(result.isError()).as("expected a tool error, got %s", text(result)).isTrue();
        return JSON.readTree(text(result));
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    static McpSchema.CallToolResult call(McpSyncClient mcp, String tool, Map<String, Object> args) {
        return mcp.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @Test
    void listsEveryToolWithADescriptionAndAnInputSchema(McpSuite suite) {
        try (McpSyncClient mcp = suite.mcp(() -> suite.tokens().agent("mcp-lister"))) {
            List<McpSchema.Tool> tools = mcp.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(TOOLS);
            for (McpSchema.Tool t : tools) {
                assertThat(t.description()).as(t.name()).hasSizeGreaterThan(40);
                assertThat(t.inputSchema()).as(t.name()).containsKey("properties");
            }
            McpSchema.Tool transition = tools.stream().filter(t -> t.name().equals("transition_phase")).findFirst().orElseThrow();
            assertThat(transition.inputSchema().get("required")).asList().contains("taskId", "to", "fencingToken");
        }
    }

    @Test
    void eachToolDoesWhatItSaysAsTheCaller(McpSuite suite) throws Exception {
        String agent = "mcp-agent-" + UUID.randomUUID();
        String taskId = "mcp-task-" + UUID.randomUUID();
        try (McpSyncClient mcp = suite.mcp(() -> suite.tokens().agent(agent));
             TrustplaneClient rest = suite.rest(suite.tokens().agent(agent));
             TrustplaneClient operatorRest = suite.rest(suite.tokens().operator());
             McpSyncClient operatorMcp = suite.mcp(() -> suite.tokens().operator())) {

            JsonNode task = ok(call(mcp, "create_task", Map.of("taskId", taskId, "title", "ship it")));
            assertThat(task.path("phase").asText()).isEqualTo("STRATEGIZE");
            assertThat(rest.tasks().get(taskId).createdBy()).isEqualTo(agent);

            JsonNode lease = ok(call(mcp, "acquire_lease", Map.of("taskId", taskId, "phase", "STRATEGIZE", "ttlSeconds", 120)));
            String leaseId = lease.path("leaseId").asText();
            Model.Lease seen = rest.leases().get(leaseId);
            assertThat(seen.holder()).isEqualTo(agent);
            assertThat(seen.status()).isEqualTo("ACTIVE");

            ok(call(mcp, "renew_lease", Map.of("leaseId", leaseId)));
            assertThat(rest.leases().get(leaseId).renewals()).isEqualTo(1);

            JsonNode moved = ok(call(mcp, "transition_phase", Map.of("taskId", taskId, "to", "SPEC",
                    "fencingToken", lease.path("fencingToken").asLong(),
                    "evidence", List.of(Map.of("kind", "strategy", "uri", "mem:strategy", "content", "plan A")))));
            assertThat(moved.path("to").asText()).isEqualTo("SPEC");
            assertThat(rest.tasks().get(taskId).phase()).isEqualTo(Phase.SPEC);
            JsonNode ledger = rest.tasks().ledger(taskId).path("entries");
            // SHA-256("plan A"), computed by the tool from the content the model gave
            assertThat(ledger.toString()).contains(sha256Hex("plan A"));

            String specLease = moved.path("lease").path("leaseId").asText();
            ok(call(mcp, "release_lease", Map.of("leaseId", specLease)));
            assertThat(rest.leases().find(taskId, Phase.SPEC)).isEmpty();

            JsonNode status = ok(call(mcp, "get_task", Map.of("taskId", taskId)));
            assertThat(status.path("task").path("phase").asText()).isEqualTo("SPEC");
            assertThat(status.path("ledger").path("valid").asBoolean()).isTrue();
            assertThat(status.path("ledger").path("entries").asInt()).isEqualTo(rest.tasks().verifyLedger(taskId).entries());

            JsonNode record = ok(call(mcp, "record_provenance", Map.of("creationType", "FRESH",
                    "contentHash", "sha256:" + sha256Hex("artifact"), "metadata", Map.of("task", taskId))));
            UUID recordId = UUID.fromString(record.path("id").asText());
            Model.ProvenanceRecord stored = rest.provenance().get(recordId);
            assertThat(stored.agentId()).isEqualTo(agent);
            assertThat(stored.metadata().path("task").asText()).isEqualTo(taskId);

            JsonNode verified = ok(call(mcp, "verify_record", Map.of("recordId", recordId.toString())));
            assertThat(verified.path("record").path("leafHash").asText()).isEqualTo(stored.leafHash());
            assertThat(verified.path("proof").path("leafHash").asText()).isEqualTo(stored.leafHash());
            assertThat(verified.path("checkpoint").asText()).contains("\n— ");
            assertThat(verified.path("logKey").asText()).isEqualTo(rest.provenance().key());
            assertThat(verified.path("verification").asText()).isEqualTo("not_performed");

            JsonNode decision = ok(call(mcp, "check_action", Map.of("role", "deployer", "action", "deploy",
                    "resourceId", "repo:payments")));
            assertThat(decision.path("decision").asText()).isIn("ALLOW", "DENY", "ESCALATE");
            assertThat(decision.path("evaluationId").asText()).isNotBlank();

            operatorRest.gate().registerAgent(agent, 500);
            // the tool-call guard: check, then report; the decision and the result are what gate-service stored
            Map<String, Object> args = Map.of("path", "/repo/README.md");
            JsonNode toolCall = ok(call(mcp, "check_tool_call", Map.of("tool", "read_file", "arguments", args)));
            assertThat(toolCall.path("decision").asText()).isEqualTo("ALLOW");
            assertThat(toolCall.path("receipt").path("agentId").asText()).isEqualTo(agent);
            @SuppressWarnings("unchecked")
            Map<String, Object> receipt = JSON.convertValue(toolCall.path("receipt"), Map.class);
            assertThat(io.trustplane.client.Receipts.verify(receipt, rest.gate().receiptKey().publicKey())).isTrue();
            JsonNode reported = ok(call(mcp, "report_tool_result", Map.of("decisionId",
                    toolCall.path("decisionId").asText(), "arguments", args, "result", "# Trustplane",
                    "status", "SUCCEEDED")));
            assertThat(reported.path("receipt").path("decisionReceiptHash").asText())
                    .isEqualTo(io.trustplane.client.Receipts.hash(receipt));
            JsonNode unasked = refused(call(mcp, "report_tool_result", Map.of("decisionId",
                    java.util.UUID.randomUUID().toString(), "result", "x", "status", "SUCCEEDED")));
            assertThat(unasked.path("code").asText()).isEqualTo("no_prior_allow");
            JsonNode agentsOwn = refused(call(mcp, "report_outcome", Map.of("agentId", agent, "claim", "tests pass",
                    "confirmed", true)));
            assertThat(agentsOwn.path("status").asInt()).isEqualTo(403);
            JsonNode outcome = ok(call(operatorMcp, "report_outcome", Map.of("agentId", agent, "claim", "tests pass",
                    "confirmed", true)));
            assertThat(rest.gate().agent(agent).trustScore()).isEqualTo(outcome.path("agent").path("trustScore").asInt());
            assertThat(outcome.path("outcomesScored").asInt()).isEqualTo(1);
        }
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheField(McpSuite suite) throws Exception {
        String agent = "mcp-bad-" + UUID.randomUUID();
        try (McpSyncClient mcp = suite.mcp(() -> suite.tokens().agent(agent))) {
            JsonNode phase = refused(call(mcp, "acquire_lease", Map.of("taskId", "t-1", "phase", "LUNCH")));
            assertThat(phase.path("code").asText()).isEqualTo("invalid_request");
            assertThat(phase.path("errors").get(0).path("field").asText()).isEqualTo("phase");

            JsonNode id = refused(call(mcp, "acquire_lease", Map.of("taskId", "bad id!", "phase", "SPEC")));
            assertThat(id.path("status").asInt()).isEqualTo(400);
            assertThat(id.path("errors").get(0).path("field").asText()).contains("taskId");

            JsonNode hash = refused(call(mcp, "transition_phase", Map.of("taskId", "t-1", "to", "SPEC", "fencingToken", 1,
                    "evidence", List.of(Map.of("kind", "strategy", "uri", "mem:x", "sha256", "not-hex")))));
            assertThat(hash.path("errors").get(0).path("field").asText()).isEqualTo("evidence[0].sha256");

            JsonNode record = refused(call(mcp, "verify_record", Map.of("recordId", "42")));
            assertThat(record.path("errors").get(0).path("field").asText()).isEqualTo("recordId");

            JsonNode type = refused(call(mcp, "record_provenance", Map.of("creationType", "STOLEN")));
            assertThat(type.path("errors").get(0).path("field").asText()).isEqualTo("creationType");
        }
    }

    static String sha256Hex(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}

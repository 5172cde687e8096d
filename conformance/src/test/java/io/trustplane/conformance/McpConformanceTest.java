package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP endpoint held to the same contract as the REST routes: without a valid token it answers 401 (every broken
 * token of the access matrix); an agent cannot act for another through a tool, also on a session another agent
 * opened; and fuzzed tool arguments (wrong types, missing fields, huge strings, unknown fields) come back as MCP tool
 * errors naming the field, never as JSON-RPC internal errors (-32603), and store nothing.
 */
@ExtendWith(Conformance.Extension.class)
@Order(3)
class McpConformanceTest {

    /** Form-valid arguments for each tool that name nothing the fuzzing agent owns: refused whatever else is sent. */
    static final Map<String, String> BASE = new LinkedHashMap<>();

    static {
        String nobody = UUID.nameUUIDFromBytes("mcp-fuzz-nothing".getBytes()).toString();
        BASE.put("check_action", "{\"role\":\"OBSERVER\",\"action\":\"read\",\"resourceId\":\"mcp-fuzz\","
                + "\"tier\":\"PRIVILEGED\"}");
        BASE.put("check_tool_call", "{\"tool\":\"read_file\",\"arguments\":{\"path\":\"/x\"},\"approvalId\":\""
                + nobody + "\"}");
        BASE.put("report_tool_result", "{\"decisionId\":\"" + nobody + "\",\"arguments\":{},\"result\":\"x\","
                + "\"status\":\"SUCCEEDED\"}");
        BASE.put("create_task", "{\"taskId\":\"mcp-fuzz-task\",\"title\":\"t\",\"description\":\"d\"}");
        BASE.put("acquire_lease", "{\"taskId\":\"mcp-fuzz-no-task\",\"phase\":\"SPEC\",\"ttlSeconds\":60}");
        BASE.put("renew_lease", "{\"leaseId\":\"" + nobody + "\",\"ttlSeconds\":60}");
        BASE.put("release_lease", "{\"leaseId\":\"" + nobody + "\"}");
        BASE.put("transition_phase", "{\"taskId\":\"mcp-fuzz-no-task\",\"to\":\"SPEC\",\"fencingToken\":1,"
                + "\"evidence\":[{\"kind\":\"strategy\",\"uri\":\"mem:x\",\"content\":\"x\"}]}");
        BASE.put("record_provenance", "{\"creationType\":\"EVOLVED\",\"contentHash\":\"sha256:x\",\"parentId\":\""
                + nobody + "\",\"metadata\":{}}");
        BASE.put("verify_record", "{\"recordId\":\"" + nobody + "\"}");
        BASE.put("get_task", "{\"taskId\":\"mcp-fuzz-no-task\"}");
        BASE.put("report_outcome", "{\"agentId\":\"mcp-fuzz-someone-else\",\"claim\":\"c\",\"confirmed\":true}");
    }

    @Test
    void withoutAValidTokenTheEndpointAnswers401(Conformance suite) {
        McpHttp mcp = suite.mcp();
        List<String> failures = new ArrayList<>();
        for (Identity identity : Identity.values()) {
            McpHttp.Answer a = mcp.initialize(identity.token(suite));
            boolean ok = identity.valid() ? a.status() == 200 : a.status() == 401;
            if (!ok) {
                failures.add(identity + " -> " + a.status() + " " + RawHttp.abbreviate(a.body()));
            }
        }
        // a session opened with a valid token does not carry it: the next call without one is refused too
        String session = mcp.open(Identity.AGENT_SELF.token(suite));
        McpHttp.Answer anonymous = mcp.listTools(null, session);
        if (anonymous.status() != 401) {
            failures.add("tools/list on an open session without a token -> " + anonymous.status());
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void anAgentCannotActForAnotherThroughATool(Conformance suite) {
        McpHttp mcp = suite.mcp();
        String self = suite.minter().agent(Identity.SELF);
        String other = suite.minter().agent(Identity.OTHER);
        String operator = suite.minter().mint("conf-operator", "operator");
        String task = "conf-mcp-task-" + System.nanoTime();
        String selfSession = mcp.open(self);
        ok(mcp.callTool(self, selfSession, "create_task", json("{\"taskId\":\"" + task + "\",\"title\":\"mine\"}")));
        JsonNode lease = ok(mcp.callTool(self, selfSession, "acquire_lease",
                json("{\"taskId\":\"" + task + "\",\"phase\":\"STRATEGIZE\",\"ttlSeconds\":300}")));
        String leaseId = lease.path("leaseId").asText();
        long token = lease.path("fencingToken").asLong();
        int score = registeredScore(suite, operator);

        String otherSession = mcp.open(other);
        for (String session : List.of(otherSession, selfSession)) {
            refused(mcp.callTool(other, session, "release_lease", json("{\"leaseId\":\"" + leaseId + "\"}")));
            refused(mcp.callTool(other, session, "renew_lease", json("{\"leaseId\":\"" + leaseId + "\"}")));
            refused(mcp.callTool(other, session, "transition_phase", json("{\"taskId\":\"" + task
                    + "\",\"to\":\"SPEC\",\"fencingToken\":" + token + ",\"evidence\":[{\"kind\":\"strategy\","
                    + "\"uri\":\"mem:x\",\"content\":\"x\"}]}")));
            refused(mcp.callTool(other, session, "report_outcome", json("{\"agentId\":\"" + Identity.SELF
                    + "\",\"claim\":\"all tests pass\",\"confirmed\":true}")));
        }

        // nothing was acted: the lease is still the holder's, the task where it was, the score unchanged
        RawHttp.Response held = rest(suite, "lease", "GET", "/v1/leases/" + leaseId, operator, null);
        assertThat(held.text()).contains("\"holder\":\"" + Identity.SELF + "\"").contains("\"status\":\"ACTIVE\"");
        assertThat(rest(suite, "lease", "GET", "/v1/tasks/" + task, operator, null).text())
                .contains("\"phase\":\"STRATEGIZE\"");
        assertThat(registeredScore(suite, operator)).isEqualTo(score);
        ok(mcp.callTool(self, selfSession, "release_lease", json("{\"leaseId\":\"" + leaseId + "\"}")));
    }

    @Test
    void fuzzedToolArgumentsAreToolErrorsNamingTheFieldAndStoreNothing(Conformance suite) {
        McpHttp mcp = suite.mcp();
        String agent = suite.minter().agent("conf-mcp-fuzz");
        // the operator-only tool is fuzzed as an operator, so that its arguments are what refuses the call
        String operator = suite.minter().mint("conf-mcp-fuzz-operator", "operator");
        String session = mcp.open(agent);
        JsonNode tools = mcp.listTools(agent, session).message().path("result").path("tools");
        assertThat(tools.size()).isEqualTo(BASE.size());
        Map<String, DbSnapshot> before = FuzzTest.quiescentSnapshots(suite);

        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (JsonNode tool : tools) {
            String name = tool.path("name").asText();
            assertThat(BASE).as("fuzz arguments for tool %s", name).containsKey(name);
            ObjectNode base = (ObjectNode) json(BASE.get(name));
            JsonNode properties = tool.path("inputSchema").path("properties");
            List<Case> fuzz = new ArrayList<>();
            for (JsonNode required : tool.path("inputSchema").path("required")) {
                ObjectNode args = base.deepCopy();
                args.remove(required.asText());
                fuzz.add(new Case("missing " + required.asText(), required.asText(), args));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                ObjectNode wrong = base.deepCopy();
                wrong.set(p.getKey(), wrongType(p.getValue().path("type").asText()));
                fuzz.add(new Case("wrong type " + p.getKey(), p.getKey(), wrong));
                if ("string".equals(p.getValue().path("type").asText())) {
                    ObjectNode huge = base.deepCopy();
                    huge.put(p.getKey(), "x".repeat(100_000));
                    fuzz.add(new Case("huge " + p.getKey(), p.getKey(), huge));
                }
            }
            ObjectNode unknown = base.deepCopy();
            unknown.put("conformanceUnknown", "x");
            fuzz.add(new Case("unknown field", "conformanceUnknown", unknown));

            for (Case c : fuzz) {
                cases++;
                McpHttp.Answer a = mcp.callTool("report_outcome".equals(name) ? operator : agent, session, name,
                        c.arguments());
                String what = name + " " + c.name() + " -> HTTP " + a.status() + " ";
                if (a.rpcError() != 0) {
                    failures.add(what + "JSON-RPC error " + a.rpcError() + ": " + RawHttp.abbreviate(a.body()));
                } else if (!a.isToolError()) {
                    failures.add(what + "not a tool error: " + RawHttp.abbreviate(a.body()));
                } else if (!a.text().contains(c.field())) {
                    failures.add(what + "does not name '" + c.field() + "': " + RawHttp.abbreviate(a.text()));
                }
            }
        }
        Map<String, DbSnapshot> after = FuzzTest.snapshots(suite);
        List<String> changed = new ArrayList<>();
        before.forEach((db, snap) -> changed.addAll(snap.differences(after.get(db))));
        System.out.println("MCP fuzz: " + cases + " tool calls, " + failures.size() + " broke the contract");
        failures.forEach(System.out::println);
        assertThat(failures).as("fuzzed tool calls that broke the contract").isEmpty();
        assertThat(changed).as("stored data changed by refused tool calls").isEmpty();
    }

    record Case(String name, String field, ObjectNode arguments) {
    }

    private static JsonNode wrongType(String type) {
        return switch (type) {
            case "integer", "number" -> McpHttp.JSON.getNodeFactory().textNode("not-a-number");
            case "boolean" -> McpHttp.JSON.getNodeFactory().textNode("perhaps");
            case "array" -> McpHttp.JSON.getNodeFactory().objectNode().put("not", "an array");
            case "object" -> McpHttp.JSON.getNodeFactory().arrayNode().add(1);
            default -> McpHttp.JSON.getNodeFactory().objectNode().put("not", "a string");
        };
    }

    private static int registeredScore(Conformance suite, String operator) {
        RawHttp.Response r = rest(suite, "gate", "GET", "/v1/agents/" + Identity.SELF, operator, null);
        return r.status() == 404 ? -1 : json(r.text()).path("trustScore").asInt();
    }

    private static RawHttp.Response rest(Conformance suite, String service, String method, String target, String token,
            String body) {
        List<RawHttp.Header> headers = new ArrayList<>(List.of(new RawHttp.Header("Authorization", "Bearer " + token)));
        if (body != null) {
            headers.add(new RawHttp.Header("Content-Type", "application/json"));
        }
        return suite.service(service).http().send(new RawHttp.Request(method, target, headers,
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), true), false);
    }

    private static JsonNode ok(McpHttp.Answer a) {
        assertThat(a.isToolError()).as("tool call succeeded: %s", a.body()).isFalse();
        assertThat(a.rpcError()).as("no JSON-RPC error: %s", a.body()).isZero();
        return json(a.text());
    }

    private static void refused(McpHttp.Answer a) {
        assertThat(a.rpcError()).as("a tool error, not a JSON-RPC error: %s", a.body()).isZero();
        assertThat(a.isToolError()).as("refused: %s", a.body()).isTrue();
        assertThat(json(a.text()).path("status").asInt()).as("a refusal (403/404/409): %s", a.text())
                .isIn(403, 404, 409);
    }

    private static JsonNode json(String s) {
        try {
            return McpHttp.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}

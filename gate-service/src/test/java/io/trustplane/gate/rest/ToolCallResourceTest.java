package io.trustplane.gate.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.trustplane.common.events.Streams;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The tool-call guard: one decision per call with a receipt signed by gate-service's key (verified here with openssl,
 * outside the project), ceilings consumed only when a call is allowed, approvals bound to the exact call and usable
 * once, result receipts linked by hash to their decision, and the runtime hook shapes.
 */
@QuarkusTest
class ToolCallResourceTest extends GateTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    static Map<String, Object> call(String agentId, String tool, Object arguments) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("tool", tool);
        body.put("arguments", arguments);
        return body;
    }

    static ValidatableResponse decide(String token, Map<String, Object> body) {
        return as(token).body(body).post("/v1/tool-calls/decisions").then();
    }

    /** SHA-256 of the RFC 8785 form, computed with the reference canonicalizer, not the service's code. */
    static String digest(String json) throws Exception {
        byte[] canonical = new JsonCanonicalizer(json).getEncodedUTF8();
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    }

    @Test
    void anAllowedCallGetsAReceiptThatOpensslVerifiesAndAnyChangeBreaks() throws Exception {
        String id = unique("tc-allow");
        register(id, 500);
        Map<String, Object> args = Map.of("path", "/tmp/report.txt", "lines", List.of(1, 2.50, 3e2));
        Map<String, Object> receipt = decide(agent(id), call(id, "read_file", args)).statusCode(200)
                .body("decision", equalTo("ALLOW")).body("layer", equalTo("BASIS"))
                .body("argumentsDigest", equalTo(digest("{\"lines\":[1,2.5,300],\"path\":\"/tmp/report.txt\"}")))
                .body("receipt.signature", notNullValue()).extract().path("receipt");
        assertThat(receipt).containsEntry("agentId", id).containsEntry("tool", "read_file")
                .containsEntry("decision", "ALLOW").containsKeys("issuedAt", "expiresAt", "policyVersion", "keyId");

        Path dir = Files.createTempDirectory("receipt");
        Path pub = dir.resolve("pub.pem");
        Files.writeString(pub, as(agent(id)).get("/v1/tool-calls/key").then().statusCode(200)
                .body("algorithm", equalTo("Ed25519")).extract().path("publicKeyPem"));
        assertThat(opensslVerifies(dir, pub, receipt)).isTrue();
        for (String field : List.of("decision", "agentId", "argumentsDigest", "expiresAt")) {
            Map<String, Object> tampered = new LinkedHashMap<>(receipt);
            tampered.put(field, field.equals("decision") ? "DENY" : receipt.get(field) + "x");
            assertThat(opensslVerifies(dir, pub, tampered)).as("changed " + field).isFalse();
        }
        Map<String, Object> otherSignature = new LinkedHashMap<>(receipt);
        byte[] sig = Base64.getDecoder().decode((String) receipt.get("signature"));
        sig[7] ^= 1;
        otherSignature.put("signature", Base64.getEncoder().encodeToString(sig));
        assertThat(opensslVerifies(dir, pub, otherSignature)).isFalse();
    }

    @Test
    void eachLayerDecidesAndADigestAloneIsAccepted() throws Exception {
        decide(agent("tc-nobody"), call("tc-nobody", "read_file", Map.of())).statusCode(200)
                .body("decision", equalTo("DENY")).body("layer", equalTo("KERNEL"))
                .body("ruleId", equalTo("kernel:unknown-agent"));

        String id = unique("tc-layers");
        register(id, 300);
        String tool = unique("drop_table").replace('-', '_');
        String policy = as(admin()).body(Map.of("name", "no " + tool, "priority", 50, "actions", List.of(tool),
                "effect", "DENY")).post("/v1/policies").then().statusCode(201).extract().path("id");
        decide(agent(id), call(id, tool, Map.of("table", "users"))).statusCode(200)
                .body("decision", equalTo("DENY")).body("layer", equalTo("POLICY")).body("ruleId", equalTo(policy));
        as(admin()).delete("/v1/policies/" + policy).then().statusCode(200);

        Map<String, Object> escalate = call(id, "query", null);
        escalate.remove("arguments");
        escalate.put("argumentsDigest", "sha256:" + "ab".repeat(32));
        escalate.put("summary", "SELECT count(*) FROM orders");
        escalate.put("role", "DATA_ANALYST");
        decide(agent(id), escalate).statusCode(200).body("decision", equalTo("ESCALATE"))
                .body("layer", equalTo("BASIS")).body("escalationId", notNullValue())
                .body("argumentsDigest", equalTo("sha256:" + "ab".repeat(32)));
    }

    @Test
    void badRequestsNameTheFieldAndAgentsActOnlyAsThemselves() {
        String id = unique("tc-bad");
        register(id, 500);
        Map<String, Object> none = call(id, "read_file", null);
        none.remove("arguments");
        decide(agent(id), none).statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("arguments_required")).body("errors[0].field", equalTo("arguments"));
        Map<String, Object> both = call(id, "read_file", Map.of("a", 1));
        both.put("argumentsDigest", "sha256:" + "00".repeat(32));
        decide(agent(id), both).statusCode(422).body("code", equalTo("argumentsDigest_mismatch"))
                .body("errors[0].field", equalTo("argumentsDigest"));
        Map<String, Object> badDigest = call(id, "read_file", null);
        badDigest.remove("arguments");
        badDigest.put("argumentsDigest", "md5:abc");
        decide(agent(id), badDigest).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("argumentsDigest"));
        decide(agent(id), call(id, "rm -rf /", Map.of())).statusCode(400).body("errors[0].field", equalTo("tool"));
        decide(agent("someone-else"), call(id, "read_file", Map.of())).statusCode(403)
                .contentType("application/problem+json");
        as(agent(id)).body(Map.of("agentId", id, "decisionId", "nope", "status", "SUCCEEDED", "result", 1))
                .post("/v1/tool-calls/results").then().statusCode(400).body("errors[0].field", equalTo("decisionId"));
    }

    @Test
    void ceilingsAreConsumedOnlyWhenTheCallIsAllowed() {
        String id = unique("tc-ceil");
        register(id, 500); // VERIFIED: QUOTA50 allows 50 in 10 minutes in the test profile
        Map<String, Object> denied = call(id, "export", Map.of("rows", 40));
        denied.put("role", "SYSTEM_ADMIN"); // kernel-enforced PRIVILEGED: DENY before any ceiling
        denied.put("resourceType", "QUOTA50");
        denied.put("amount", 40);
        decide(agent(id), denied).statusCode(200).body("decision", equalTo("DENY")).body("layer", equalTo("KERNEL"));

        Map<String, Object> allowed = call(id, "export", Map.of("rows", 30));
        allowed.put("resourceType", "QUOTA50");
        allowed.put("amount", 30);
        decide(agent(id), allowed).statusCode(200).body("decision", equalTo("ALLOW"));
        // 30 used (the DENY took nothing): 30 more would exceed 50, so the call is refused by the ceiling
        decide(agent(id), allowed).statusCode(200).body("decision", equalTo("DENY")).body("layer", equalTo("CEILING"));
        as(agent(id)).body(Map.of("agentId", id, "resourceType", "QUOTA50", "requestedAmount", 1))
                .post("/v1/ceiling/check").then().statusCode(200).body("used", equalTo(31));
    }

    @Test
    void aRetriedCallIdGetsItsDecisionAgainAndAnotherCallUnderItDrawsNothing() {
        String id = unique("tc-callid");
        register(id, 500);
        Map<String, Object> first = call(id, "export", Map.of("rows", 10));
        first.put("resourceType", "QUOTA50");
        first.put("amount", 10);
        first.put("callId", "toolu_retried");
        Map<String, Object> receipt = decide(agent(id), first).statusCode(200).body("decision", equalTo("ALLOW"))
                .extract().jsonPath().getMap("receipt");
        // the runtime retries its hook: the same receipt, byte for byte, and the ceiling is not drawn on again
        decide(agent(id), first).statusCode(200).body("receipt", equalTo(receipt));
        Map<String, Object> other = new LinkedHashMap<>(first);
        other.put("arguments", Map.of("rows", 20));
        other.put("amount", 20);
        decide(agent(id), other).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("duplicate_call_id")).body("field", equalTo("callId"));
        // 10 drawn by the one ALLOW; neither the retry nor the refused call took anything
        as(agent(id)).body(Map.of("agentId", id, "resourceType", "QUOTA50", "requestedAmount", 1))
                .post("/v1/ceiling/check").then().statusCode(200).body("used", equalTo(11));
        // a suspended agent gets no earlier ALLOW back
        as(operator()).body(Map.of("reason", "investigation")).post("/v1/agents/" + id + "/suspend").then()
                .statusCode(200);
        decide(agent(id), first).statusCode(409).body("code", equalTo("duplicate_call_id"));
    }

    @Test
    void anApprovalIsBoundToTheExactCallAndUsedOnce() {
        String id = unique("tc-appr");
        register(id, 300); // BASIC asking as DATA_ANALYST (VERIFIED): one tier short, ESCALATE
        Map<String, Object> ask = call(id, "query", Map.of("sql", "SELECT 1"));
        ask.put("role", "DATA_ANALYST");
        ask.put("summary", "a harmless select");
        String escalation = decide(agent(id), ask).statusCode(200).body("decision", equalTo("ESCALATE"))
                .extract().path("escalationId");
        decide(agent(id), withApproval(ask, escalation)).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("approval_pending"));
        // approvers see what they approve; other agents are told it does not exist
        as(agent("validator-1")).get("/v1/tool-calls/approvals/" + escalation).then().statusCode(200)
                .body("tool", equalTo("query")).body("summary", equalTo("a harmless select"))
                .body("agentId", equalTo(id)).body("reason", notNullValue())
                .body("argumentsDigest", equalTo(digestOf(Map.of("sql", "SELECT 1"))));
        as(agent(unique("tc-nosy"))).get("/v1/tool-calls/approvals/" + escalation).then().statusCode(404);

        as(operator()).body(Map.of("decision", "ALLOW", "note", "fine")).post("/v1/escalations/" + escalation
                + "/decision").then().statusCode(200).body("status", equalTo("APPROVED"));
        Map<String, Object> other = call(id, "query", Map.of("sql", "DROP TABLE orders"));
        other.put("role", "DATA_ANALYST");
        decide(agent(id), withApproval(other, escalation)).statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("approval_mismatch"));
        String otherAgent = unique("tc-thief");
        register(otherAgent, 300);
        Map<String, Object> stolen = new LinkedHashMap<>(ask);
        stolen.put("agentId", otherAgent);
        decide(agent(otherAgent), withApproval(stolen, escalation)).statusCode(404);

        decide(agent(id), withApproval(ask, escalation)).statusCode(200).body("decision", equalTo("ALLOW"))
                .body("layer", equalTo("APPROVAL")).body("receipt.approvalId", equalTo(escalation));
        decide(agent(id), withApproval(ask, escalation)).statusCode(409).body("code", equalTo("approval_used"));
        // the same call made again without naming the approval: it was used, so the gate escalates afresh
        decide(agent(id), ask).statusCode(200).body("decision", equalTo("ESCALATE"));
    }

    @Test
    void anApprovedCallIsAllowedWhenMadeAgainAndALateApprovalIsRefused() {
        String id = unique("tc-again");
        register(id, 300);
        Map<String, Object> ask = call(id, "query", Map.of("sql", "SELECT 2"));
        ask.put("role", "DATA_ANALYST");
        String first = decide(agent(id), ask).statusCode(200).extract().path("escalationId");
        as(operator()).body(Map.of("decision", "ALLOW")).post("/v1/escalations/" + first + "/decision").then()
                .statusCode(200);
        decide(agent(id), ask).statusCode(200).body("decision", equalTo("ALLOW")).body("layer", equalTo("APPROVAL"));

        String late = decide(agent(id), ask).statusCode(200).body("decision", equalTo("ESCALATE"))
                .extract().path("escalationId");
        as(operator()).body(Map.of("decision", "ALLOW")).post("/v1/escalations/" + late + "/decision").then()
                .statusCode(200);
        // the approval's decision is moved an hour into the past: beyond the 15-minute validity
        pool.preparedQuery("UPDATE escalations SET decided_at = now() - interval '1 hour' WHERE id = $1")
                .executeAndAwait(Tuple.of(UUID.fromString(late)));
        decide(agent(id), withApproval(ask, late)).statusCode(410).contentType("application/problem+json")
                .body("code", equalTo("approval_expired"));
    }

    @Test
    void concurrentUsesOfOneApprovalLetExactlyOneThrough() throws Exception {
        String id = unique("tc-race");
        register(id, 300);
        Map<String, Object> ask = call(id, "query", Map.of("sql", "SELECT 3"));
        ask.put("role", "DATA_ANALYST");
        String escalation = decide(agent(id), ask).statusCode(200).extract().path("escalationId");
        as(operator()).body(Map.of("decision", "ALLOW")).post("/v1/escalations/" + escalation + "/decision").then()
                .statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> uses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                uses.add(() -> as(agent(id)).body(withApproval(ask, escalation)).post("/v1/tool-calls/decisions")
                        .then().extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(uses, 60, TimeUnit.SECONDS)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aResultIsLinkedToItsDecisionAndAResultWithoutAnAllowRaisesTheSignal() throws Exception {
        String id = unique("tc-result");
        register(id, 500);
        Map<String, Object> args = Map.of("url", "https://example.org");
        Map<String, Object> receipt = decide(agent(id), call(id, "fetch", args)).statusCode(200)
                .body("decision", equalTo("ALLOW")).extract().path("receipt");
        String decisionId = (String) receipt.get("decisionId");
        String preHash = digest(JSON.writeValueAsString(receipt));

        Map<String, Object> result = Map.of("agentId", id, "decisionId", decisionId, "arguments", args,
                "result", Map.of("status", 200, "bytes", 1256), "status", "SUCCEEDED");
        Map<String, Object> post = as(agent(id)).body(result).post("/v1/tool-calls/results").then().statusCode(200)
                .body("resultDigest", equalTo(digest("{\"bytes\":1256,\"status\":200}")))
                .extract().path("receipt");
        assertThat(post).containsEntry("decisionReceiptHash", preHash).containsEntry("decisionId", decisionId)
                .containsEntry("status", "SUCCEEDED").containsKey("signature");
        as(agent(id)).body(result).post("/v1/tool-calls/results").then().statusCode(409)
                .body("code", equalTo("result_already_reported"));

        Map<String, Object> changed = new LinkedHashMap<>(result);
        changed.put("arguments", Map.of("url", "https://evil.example"));
        String again = decide(agent(id), call(id, "fetch", args)).statusCode(200).extract().path("decisionId");
        changed.put("decisionId", again);
        as(agent(id)).body(changed).post("/v1/tool-calls/results").then().statusCode(409)
                .body("code", equalTo("arguments_mismatch"));

        String denied = decide(agent(id), withRole(call(id, "fetch", args), "SYSTEM_ADMIN")).statusCode(200)
                .body("decision", equalTo("DENY")).extract().path("decisionId");
        Map<String, Object> ranAnyway = new LinkedHashMap<>(result);
        ranAnyway.put("decisionId", denied);
        as(agent(id)).body(ranAnyway).post("/v1/tool-calls/results").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("no_prior_allow"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(Streams.EVENTS, denied)).anyMatch(e -> e.contains("\"gaming.signal\"")
                        && e.contains("UNAUTHORIZED_TOOL_CALL")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(events(Streams.ANCHOR, decisionId)).anyMatch(e -> e.contains("\"tool_call.decided\""));
            assertThat(events(Streams.ANCHOR, decisionId)).anyMatch(e -> e.contains("\"tool_call.completed\"")
                    && e.contains(preHash));
        });
    }

    @Test
    void anotherAgentCanNeitherReadNorReportOnAnAgentsDecision() {
        String owner = unique("tc-owner");
        String other = unique("tc-other");
        register(owner, 500);
        register(other, 500);
        Map<String, Object> args = Map.of("path", "/srv/secret");
        String decisionId = decide(agent(owner), call(owner, "read_file", args)).statusCode(200)
                .body("decision", equalTo("ALLOW")).extract().path("decisionId");
        // reading it: the owner and operators see it, another agent is told it does not exist
        as(agent(owner)).get("/v1/tool-calls/decisions/" + decisionId).then().statusCode(200)
                .body("agentId", equalTo(owner));
        as(operator()).get("/v1/tool-calls/decisions/" + decisionId).then().statusCode(200);
        as(agent(other)).get("/v1/tool-calls/decisions/" + decisionId).then().statusCode(404)
                .contentType("application/problem+json");
        // reporting on it in its own name is a result without an ALLOW of its own; in the owner's name, forbidden
        as(agent(other)).body(Map.of("agentId", other, "decisionId", decisionId, "arguments", args, "result", "x",
                "status", "SUCCEEDED")).post("/v1/tool-calls/results").then().statusCode(409)
                .body("code", equalTo("no_prior_allow"));
        as(agent(other)).body(Map.of("agentId", owner, "decisionId", decisionId, "arguments", args, "result", "x",
                "status", "SUCCEEDED")).post("/v1/tool-calls/results").then().statusCode(403);
        // the owner's report still goes through once: nothing the other agent did used it up
        as(agent(owner)).body(Map.of("agentId", owner, "decisionId", decisionId, "arguments", args, "result", "ok",
                "status", "SUCCEEDED")).post("/v1/tool-calls/results").then().statusCode(200);
    }

    @Test
    void claudeCodeHookEventsGetClaudeCodeAnswers() {
        String id = unique("tc-cc");
        register(id, 500);
        String useId = "toolu_" + UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("session_id", "s1");
        pre.put("hook_event_name", "PreToolUse");
        pre.put("tool_name", "Read");
        pre.put("tool_input", Map.of("file_path", "/repo/README.md"));
        pre.put("tool_use_id", useId);
        as(agent(id)).body(pre).post("/v1/tool-calls/hooks/claude-code").then().statusCode(200)
                .body("hookSpecificOutput.hookEventName", equalTo("PreToolUse"))
                .body("hookSpecificOutput.permissionDecision", equalTo("allow"))
                .body("hookSpecificOutput.permissionDecisionReason", startsWith("Trustplane allowed Read"));
        Map<String, Object> postEvent = new LinkedHashMap<>(pre);
        postEvent.put("hook_event_name", "PostToolUse");
        postEvent.put("tool_response", Map.of("content", "# Trustplane"));
        as(agent(id)).body(postEvent).post("/v1/tool-calls/hooks/claude-code").then().statusCode(200)
                .body("decision", org.hamcrest.Matchers.nullValue());

        Map<String, Object> unasked = new LinkedHashMap<>(postEvent);
        unasked.put("tool_use_id", "toolu_never_asked");
        as(agent(id)).body(unasked).post("/v1/tool-calls/hooks/claude-code").then().statusCode(200)
                .body("decision", equalTo("block")).body("reason", org.hamcrest.Matchers.containsString("no_prior_allow"));

        Map<String, Object> escalated = new LinkedHashMap<>(pre);
        escalated.put("tool_use_id", useId + "x");
        escalated.put("tool_name", "mcp__db__query");
        String tool = "mcp__db__query";
        String policy = as(admin()).body(Map.of("name", "escalate db queries " + id, "priority", 60,
                "actions", List.of(tool), "effect", "ESCALATE")).post("/v1/policies").then().statusCode(201)
                .extract().path("id");
        try {
            as(agent(id)).body(escalated).post("/v1/tool-calls/hooks/claude-code").then().statusCode(200)
                    .body("hookSpecificOutput.permissionDecision", equalTo("deny"))
                    .body("hookSpecificOutput.permissionDecisionReason", containsAll("escalation", "same call again"));
        } finally {
            as(admin()).delete("/v1/policies/" + policy).then().statusCode(200);
        }

        Map<String, Object> malformed = new LinkedHashMap<>(pre);
        malformed.remove("tool_name");
        as(agent(id)).body(malformed).post("/v1/tool-calls/hooks/claude-code").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("tool_name"));
        as(operator()).body(pre).post("/v1/tool-calls/hooks/claude-code").then().statusCode(403);
    }

    @Test
    void theGenericHookShapeAnswersAllowOrDenyWithTheReceipt() {
        String id = unique("tc-gen");
        register(id, 500);
        as(agent(id)).body(Map.of("event", "pre", "tool", "write_file", "callId", "c-1",
                        "arguments", Map.of("path", "/tmp/x", "content", "hi")))
                .post("/v1/tool-calls/hooks/generic").then().statusCode(200).body("decision", equalTo("allow"))
                .body("receipt.signature", notNullValue());
        as(agent(id)).body(Map.of("event", "post", "tool", "write_file", "callId", "c-1",
                        "arguments", Map.of("path", "/tmp/x", "content", "hi"), "result", "ok"))
                .post("/v1/tool-calls/hooks/generic").then().statusCode(200).body("recorded", equalTo(true));
        as(agent(id)).body(Map.of("event", "pre", "tool", "write_file", "callId", "c-2", "role", "SYSTEM_ADMIN",
                        "arguments", Map.of()))
                .post("/v1/tool-calls/hooks/generic").then().statusCode(200).body("decision", equalTo("deny"));
        as(agent(id)).body(Map.of("event", "sideways", "tool", "x")).post("/v1/tool-calls/hooks/generic").then()
                .statusCode(400).body("errors[0].field", equalTo("event"));
    }

    private static org.hamcrest.Matcher<String> containsAll(String... parts) {
        return org.hamcrest.Matchers.stringContainsInOrder(parts);
    }

    private static String digestOf(Object value) {
        try {
            return digest(JSON.writeValueAsString(value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> withApproval(Map<String, Object> call, String approvalId) {
        Map<String, Object> body = new LinkedHashMap<>(call);
        body.put("approvalId", approvalId);
        return body;
    }

    private static Map<String, Object> withRole(Map<String, Object> call, String role) {
        Map<String, Object> body = new LinkedHashMap<>(call);
        body.put("role", role);
        return body;
    }

    /** openssl's verdict on a receipt: the signed bytes are its canonical JSON without the signature. */
    private static boolean opensslVerifies(Path dir, Path pub, Map<String, Object> receipt) throws Exception {
        Map<String, Object> unsigned = new LinkedHashMap<>(receipt);
        String signature = (String) unsigned.remove("signature");
        Path msg = dir.resolve("msg.bin");
        Path sig = dir.resolve("sig.bin");
        Files.write(msg, new JsonCanonicalizer(JSON.writeValueAsString(unsigned)).getEncodedUTF8());
        Files.write(sig, Base64.getDecoder().decode(signature));
        Process p = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", msg.toString(), "-sigfile", sig.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 && out.contains("Signature Verified Successfully");
    }
}

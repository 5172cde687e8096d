package io.trustplane.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.trustplane.client.Model;
import io.trustplane.client.Phase;
import io.trustplane.client.TrustplaneClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.trustplane.mcp.McpToolsIT.call;
import static io.trustplane.mcp.McpToolsIT.ok;
import static io.trustplane.mcp.McpToolsIT.refused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who a tool acts as: the bearer token of the request, never the session's opener nor an argument. A missing token
 * is a real 401; an agent cannot act for another agent, also on a session another agent opened.
 */
@ExtendWith(McpSuite.Extension.class)
class McpIdentityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void withoutAValidTokenTheEndpointAnswers401(McpSuite suite) throws Exception {
        assertThat(post(suite, null, null, initialize()).statusCode()).isEqualTo(401);
        assertThat(post(suite, suite.tokens().expired("agent-7", "agent"), null, initialize()).statusCode()).isEqualTo(401);
        assertThat(post(suite, "not.a.jwt", null, initialize()).statusCode()).isEqualTo(401);
    }

    @Test
    void anAgentCannotTouchAnotherAgentsLeaseThroughMcp(McpSuite suite) throws Exception {
        String alice = "mcp-alice-" + UUID.randomUUID();
        String mallory = "mcp-mallory-" + UUID.randomUUID();
        String taskId = "mcp-owned-" + UUID.randomUUID();
        try (TrustplaneClient aliceRest = suite.rest(suite.tokens().agent(alice));
             McpSyncClient malloryMcp = suite.mcp(() -> suite.tokens().agent(mallory))) {
            aliceRest.tasks().create(taskId, "alice's", null);
            Model.Lease lease = aliceRest.leases().acquire(taskId, Phase.STRATEGIZE, 120);

            JsonNode release = refused(call(malloryMcp, "release_lease", Map.of("leaseId", lease.leaseId())));
            assertThat(release.path("status").asInt()).isIn(403, 404, 409);
            JsonNode renew = refused(call(malloryMcp, "renew_lease", Map.of("leaseId", lease.leaseId())));
            assertThat(renew.path("status").asInt()).isIn(403, 404, 409);
            JsonNode move = refused(call(malloryMcp, "transition_phase", Map.of("taskId", taskId, "to", "SPEC",
                    "fencingToken", lease.fencingToken(),
                    "evidence", java.util.List.of(Map.of("kind", "strategy", "uri", "mem:x", "content", "x")))));
            assertThat(move.path("status").asInt()).isIn(403, 409);

            Model.Lease after = aliceRest.leases().get(lease.leaseId());
            assertThat(after.status()).isEqualTo("ACTIVE");
            assertThat(after.renewals()).isZero();
            assertThat(aliceRest.tasks().get(taskId).phase()).isEqualTo(Phase.STRATEGIZE);
        }
    }

    @Test
    void aSessionOpenedByOneAgentActsAsWhoeverSendsEachRequest(McpSuite suite) throws Exception {
        String alice = "mcp-opener-" + UUID.randomUUID();
        String bob = "mcp-other-" + UUID.randomUUID();
        String aliceToken = suite.tokens().agent(alice);
        String bobToken = suite.tokens().agent(bob);
        AtomicReference<String> token = new AtomicReference<>(aliceToken);
        String taskId = "mcp-shared-" + UUID.randomUUID();
        try (McpSyncClient mcp = suite.mcp(token::get);
             TrustplaneClient aliceRest = suite.rest(aliceToken);
             TrustplaneClient bobRest = suite.rest(bobToken)) {
            ok(call(mcp, "create_task", Map.of("taskId", taskId, "title", "opened by alice")));
            JsonNode aliceLease = ok(call(mcp, "acquire_lease", Map.of("taskId", taskId, "phase", "STRATEGIZE")));

            token.set(bobToken); // the same MCP session, another agent's requests
            JsonNode record = ok(call(mcp, "record_provenance", Map.of("creationType", "FRESH")));
            assertThat(record.path("agentId").asText()).isEqualTo(bob);
            JsonNode release = refused(call(mcp, "release_lease", Map.of("leaseId", aliceLease.path("leaseId").asText())));
            assertThat(release.path("status").asInt()).isIn(403, 404, 409);
            JsonNode conflict = refused(call(mcp, "acquire_lease", Map.of("taskId", taskId, "phase", "STRATEGIZE")));
            assertThat(conflict.path("code").asText()).isEqualTo("lease_held");
            assertThat(conflict.path("holder").asText()).isEqualTo(alice);

            assertThat(aliceRest.leases().get(aliceLease.path("leaseId").asText()).status()).isEqualTo("ACTIVE");
            assertThat(bobRest.provenance().get(UUID.fromString(record.path("id").asText())).agentId()).isEqualTo(bob);
        }
    }

    @Test
    void aSessionIdAloneIsNoCredential(McpSuite suite) throws Exception {
        String alice = "mcp-sess-" + UUID.randomUUID();
        HttpResponse<String> init = post(suite, suite.tokens().agent(alice), null, initialize());
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> anonymous = post(suite, null, session, Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(),
                "method", "tools/call", "params", Map.of("name", "record_provenance", "arguments",
                        Map.of("creationType", "FRESH"))));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private Map<String, Object> initialize() {
        return Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", "initialize", "params",
                Map.of("protocolVersion", "2025-03-26", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "identity-test", "version", "1")));
    }

    private HttpResponse<String> post(McpSuite suite, String token, String session, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(suite.mcpUrl()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

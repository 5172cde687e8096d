package io.trustplane.client;

import io.trustplane.client.Model.ToolCall;
import io.trustplane.client.Model.ToolCallDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tool-call guard through the SDK against the real suite: check, verify the receipt offline against the pinned
 * key, report the result linked by hash; an escalated call is allowed once after its approval, then escalates again.
 */
@ExtendWith(ClientSuite.Extension.class)
class ToolCallGuardClientTest {

    @Test
    void checkVerifyOfflineAndReportLinkedByHash(ClientSuite suite) throws Exception {
        String agent = "sdk-guard-" + System.nanoTime();
        try (TrustplaneClient operator = suite.client(suite.tokens().operator());
             TrustplaneClient client = suite.client(suite.tokens().agent(agent))) {
            operator.gate().registerAgent(agent, 500);
            String key = client.gate().receiptKey().publicKey();
            Map<String, Object> args = Map.of("path", "/repo/pom.xml");
            ToolCallDecision decision = client.gate().checkToolCall(ToolCall.of(agent, "read_file", args));
            assertThat(decision.allowed()).isTrue();
            assertThat(Receipts.verify(decision.receipt(), key)).isTrue();
            Map<String, Object> forged = new LinkedHashMap<>(decision.receipt());
            forged.put("tool", "delete_file");
            assertThat(Receipts.verify(forged, key)).isFalse();

            Model.ToolCallResult result = client.gate().reportToolResult(agent, decision.decisionId(), args,
                    Map.of("bytes", 2048), "SUCCEEDED");
            assertThat(Receipts.verify(result.receipt(), key)).isTrue();
            assertThat(result.receipt().get("decisionReceiptHash")).isEqualTo(Receipts.hash(decision.receipt()));
            assertThatThrownBy(() -> client.gate().reportToolResult(agent, decision.decisionId(), args, "again",
                    "SUCCEEDED")).isInstanceOfSatisfying(ConflictException.class,
                    e -> assertThat(e.code()).isEqualTo("result_already_reported"));
        }
    }

    @Test
    void anEscalatedCallIsAllowedOnceAfterItsApproval(ClientSuite suite) {
        String agent = "sdk-escalated-" + System.nanoTime();
        try (TrustplaneClient operator = suite.client(suite.tokens().operator());
             TrustplaneClient client = suite.client(suite.tokens().agent(agent))) {
            operator.gate().registerAgent(agent, 300);
            ToolCall call = new ToolCall(agent, "query", null, Map.of("sql", "SELECT 1"), null, null, "DATA_ANALYST",
                    null, null, null, null);
            ToolCallDecision escalated = client.gate().checkToolCall(call);
            assertThat(escalated.decision()).isEqualTo("ESCALATE");
            assertThat(escalated.escalationId()).isNotBlank();
            assertThatThrownBy(() -> client.gate().checkToolCall(call.withApproval(escalated.escalationId())))
                    .isInstanceOfSatisfying(ConflictException.class,
                            e -> assertThat(e.code()).isEqualTo("approval_pending"));
            operator.gate().decideEscalation(escalated.escalationId(), true, "fine");
            ToolCallDecision approved = client.gate().checkToolCall(call);
            assertThat(approved.decision()).isEqualTo("ALLOW");
            assertThat(approved.layer()).isEqualTo("APPROVAL");
            assertThat(client.gate().checkToolCall(call).decision()).isEqualTo("ESCALATE");
        }
    }
}

package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.Agent;
import io.trustplane.client.Model.CeilingCheck;
import io.trustplane.client.Model.Decision;
import io.trustplane.client.Model.Evaluation;
import io.trustplane.client.Model.Outcome;
import io.trustplane.client.Model.ReceiptKey;
import io.trustplane.client.Model.ToolCallDecision;
import io.trustplane.client.Model.ToolCallResult;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gate: agents and their trust, role-gate decisions, capability ceilings, escalations and outcomes. */
public final class Gate {

    private final Transport transport;
    private final Duration deadline;

    Gate(Transport transport, Duration deadline) {
        this.transport = transport;
        this.deadline = deadline;
    }

    /** Registers or updates an agent's trust score (operators, admins and services). */
    public Agent registerAgent(String agentId, int trustScore) {
        return transport.call(Routes.AGENT_PUT, Routes.AGENT_PUT.expand(agentId), Map.of("trustScore", trustScore),
                deadline, Agent.class);
    }

    public Agent agent(String agentId) {
        return transport.call(Routes.AGENT_GET, Routes.AGENT_GET.expand(agentId), null, deadline, Agent.class);
    }

    /** May the agent act in {@code role} on this resource? ALLOW, DENY or ESCALATE (with an escalation id). */
    public Decision evaluate(Evaluation evaluation) {
        return transport.call(Routes.EVALUATE, Routes.EVALUATE.path(), evaluation, deadline, Decision.class);
    }

    /** Counts {@code requestedAmount} against the agent's ceiling for {@code resourceType}; {@code tier} is optional. */
    public CeilingCheck checkCeiling(String agentId, String resourceType, long requestedAmount, String tier) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("resourceType", resourceType);
        body.put("requestedAmount", requestedAmount);
        if (tier != null) {
            body.put("tier", tier);
        }
        return transport.call(Routes.CEILING_CHECK, Routes.CEILING_CHECK.path(), body, deadline, CeilingCheck.class);
    }

    public JsonNode escalation(String id) {
        return transport.call(Routes.ESCALATION_GET, Routes.ESCALATION_GET.expand(id), null, deadline, JsonNode.class);
    }

    /** A validator's vote on an escalation. */
    public JsonNode vote(String escalationId, boolean approve, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("approve", approve);
        if (reason != null) {
            body.put("reason", reason);
        }
        return transport.call(Routes.ESCALATION_VOTE, Routes.ESCALATION_VOTE.expand(escalationId), body, deadline,
                JsonNode.class);
    }

    /**
     * The tool-call guard, before a tool call: ALLOW, DENY or ESCALATE with a signed receipt. After an ESCALATE is
     * approved, make the same call again (or name the approval with {@link Model.ToolCall#withApproval}): the
     * approval is valid once, for exactly these arguments.
     */
    public ToolCallDecision checkToolCall(Model.ToolCall call) {
        return transport.call(Routes.TOOL_CALL_DECIDE, Routes.TOOL_CALL_DECIDE.path(), call, deadline,
                ToolCallDecision.class);
    }

    /** After the call: its result (any JSON value) and status, SUCCEEDED or FAILED, against the decision. */
    public ToolCallResult reportToolResult(String agentId, String decisionId, Object arguments, Object result,
            String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("decisionId", decisionId);
        if (arguments != null) {
            body.put("arguments", arguments);
        }
        body.put("result", result);
        body.put("status", status);
        return transport.call(Routes.TOOL_CALL_RESULT, Routes.TOOL_CALL_RESULT.path(), body, deadline,
                ToolCallResult.class);
    }

    /** gate-service's receipt verification key (pin it: receipts then verify offline with {@link Receipts}). */
    public ReceiptKey receiptKey() {
        return transport.call(Routes.TOOL_CALL_KEY, Routes.TOOL_CALL_KEY.path(), null, deadline, ReceiptKey.class);
    }

    /** An operator's decision on an escalation (operators and admins): approve (ALLOW) or not (DENY). */
    public JsonNode decideEscalation(String escalationId, boolean approve, String note) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", approve ? "ALLOW" : "DENY");
        if (note != null) {
            body.put("note", note);
        }
        return transport.call(Routes.ESCALATION_DECIDE, Routes.ESCALATION_DECIDE.expand(escalationId), body, deadline,
                JsonNode.class);
    }

    /** Truth scoring: whether a claim the agent made was confirmed; moves its trust score. */
    public Outcome reportOutcome(String agentId, String claim, boolean confirmed) {
        return transport.call(Routes.AGENT_OUTCOME, Routes.AGENT_OUTCOME.expand(agentId),
                Map.of("claim", claim, "confirmed", confirmed), deadline, Outcome.class);
    }
}

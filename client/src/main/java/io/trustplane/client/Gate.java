package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.Agent;
import io.trustplane.client.Model.CeilingCheck;
import io.trustplane.client.Model.Decision;
import io.trustplane.client.Model.Evaluation;
import io.trustplane.client.Model.Outcome;

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

    /** Truth scoring: whether a claim the agent made was confirmed; moves its trust score. */
    public Outcome reportOutcome(String agentId, String claim, boolean confirmed) {
        return transport.call(Routes.AGENT_OUTCOME, Routes.AGENT_OUTCOME.expand(agentId),
                Map.of("claim", claim, "confirmed", confirmed), deadline, Outcome.class);
    }
}

package io.trustplane.gate.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One tool-call decision as stored: who asked to call which tool with which arguments (by digest), what gate-service
 * answered and the signed receipt it issued; for an ESCALATE, the escalation and when its approval was used; for an
 * ALLOW, the reported result once the call ran.
 */
public record ToolCall(UUID id, String agentId, String callId, String tool, String resource, String argumentsDigest,
        String summary, Decision decision, String layer, String ruleId, String reason, UUID escalationId,
        UUID approvedFrom, String receipt, String receiptHash, Instant issuedAt, Instant expiresAt,
        Instant approvalUsedAt, String resultStatus, String resultDigest, String resultReceipt, Instant reportedAt) {

    /** The escalated call's approval as it stands: the call, and its escalation's status and decision time. */
    public record Approval(ToolCall call, EscalationStatus status, Instant decidedAt) {
    }
}

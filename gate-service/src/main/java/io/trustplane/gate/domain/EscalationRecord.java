package io.trustplane.gate.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An escalation with its votes. */
public record EscalationRecord(UUID id, UUID evaluationId, String agentId, String role, String tier,
        String resourceId, String action, String reason, EscalationStatus status, int n, int f, Instant deadline,
        String decision, String decidedBy, String decisionNote, Instant createdAt, Instant decidedAt,
        List<Vote> votes) {

    public long approvals() {
        return votes.stream().filter(Vote::approve).count();
    }

    public long rejections() {
        return votes.size() - approvals();
    }
}

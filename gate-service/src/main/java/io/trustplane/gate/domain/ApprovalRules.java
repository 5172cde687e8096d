package io.trustplane.gate.domain;

import io.trustplane.common.problem.ProblemException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an approval may be used: only by the agent it was asked for (anyone else is told it does not exist), for
 * the same tool and argument digest, once, after it was approved and before it expires. Pure: the caller holds
 * the row lock while it asks.
 */
public final class ApprovalRules {

    /** Why an approval was refused, the problem code its answer carries. */
    public enum Refusal {
        NOT_FOUND, PENDING, REJECTED, MISMATCH, USED, EXPIRED;

        public String code() {
            return "approval_" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private ApprovalRules() {
    }

    public static Optional<Refusal> check(ToolCall.Approval approval, String agentId, String tool,
            String argumentsDigest, Instant now, Duration ttl) {
        if (approval == null || !approval.call().agentId().equals(agentId)) {
            return Optional.of(Refusal.NOT_FOUND);
        }
        if (!approval.call().tool().equals(tool) || !approval.call().argumentsDigest().equals(argumentsDigest)) {
            return Optional.of(Refusal.MISMATCH);
        }
        if (approval.status() == EscalationStatus.REJECTED) {
            return Optional.of(Refusal.REJECTED);
        }
        if (approval.status() != EscalationStatus.APPROVED) {
            return Optional.of(Refusal.PENDING);
        }
        if (approval.call().approvalUsedAt() != null) {
            return Optional.of(Refusal.USED);
        }
        if (approval.decidedAt() != null && now.isAfter(approval.decidedAt().plus(ttl))) {
            return Optional.of(Refusal.EXPIRED);
        }
        return Optional.empty();
    }

    /** The problem+json answer for a refusal: 404 (no oracle), 410 for an expired approval, 409 otherwise. */
    public static ProblemException problem(Refusal refusal, String approvalId) {
        return switch (refusal) {
            case NOT_FOUND -> ProblemException.notFound("approval", approvalId);
            case PENDING -> ProblemException.conflict(refusal.code(), "approval " + approvalId
                    + " is not decided yet; retry once the escalation is approved");
            case REJECTED -> ProblemException.conflict(refusal.code(), "approval " + approvalId + " was rejected");
            case MISMATCH -> ProblemException.conflict(refusal.code(), "approval " + approvalId
                    + " was given for another tool or other arguments; it is bound to the exact call that escalated");
            case USED -> ProblemException.conflict(refusal.code(), "approval " + approvalId
                    + " was already used; an approval is valid for one call");
            case EXPIRED -> new ProblemException(410, refusal.code(), "approval " + approvalId + " has expired");
        };
    }
}

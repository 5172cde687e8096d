package io.trustplane.gate.domain;

import io.trustplane.common.problem.ProblemException;

import java.util.UUID;

/**
 * The escalation state machine: validators vote only while an escalation is OPEN and its deadline has not passed,
 * each once; 2f+1 approvals of n decide (or enough rejections that approval can no longer be reached, see
 * {@link Quorum}); an operator decides anything not yet decided. Pure: the caller holds the escalation's row lock.
 */
public final class EscalationRules {

    private EscalationRules() {
    }

    /** Why {@code e} (null: not found) takes no vote now; null when it does. */
    public static ProblemException refuseVote(UUID id, EscalationRecord e, boolean deadlinePassed) {
        if (e == null) {
            return ProblemException.notFound("escalation", id.toString());
        }
        if (e.status() != EscalationStatus.OPEN) {
            return ProblemException.conflict("escalation_closed",
                    "escalation is " + e.status() + "; validators can no longer vote").with("status", e.status());
        }
        if (deadlinePassed) {
            // the sweeper moves it to AWAITING_OPERATOR; the vote is only refused
            return ProblemException.conflict("escalation_closed", "the voting window has passed; an operator decides")
                    .with("status", EscalationStatus.AWAITING_OPERATOR);
        }
        return null;
    }

    /** A second vote of the same validator. */
    public static ProblemException duplicateVote(String validatorId) {
        return ProblemException.conflict("duplicate_vote",
                "validator '" + validatorId + "' has already voted on this escalation");
    }

    /** Where the votes cast so far lead: APPROVED, REJECTED, or null while the escalation stays open. */
    public static EscalationStatus outcome(EscalationRecord afterVote, Quorum quorum) {
        return quorum.outcome((int) afterVote.approvals(), (int) afterVote.rejections());
    }

    /** Why an operator may not decide {@code e} (null: not found); null when it may. */
    public static ProblemException refuseOperatorDecision(UUID id, EscalationRecord e) {
        if (e == null) {
            return ProblemException.notFound("escalation", id.toString());
        }
        if (e.status().decided()) {
            return ProblemException.conflict("escalation_closed", "escalation is already " + e.status())
                    .with("status", e.status());
        }
        return null;
    }

    /** The gate decision a decided escalation stands for. */
    public static String decision(EscalationStatus decided) {
        return decided == EscalationStatus.APPROVED ? "ALLOW" : "DENY";
    }
}

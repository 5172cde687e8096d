package io.trustplane.gate.domain;

/**
 * Byzantine quorum arithmetic (seed 004): with n validators of which up to f may be faulty, a decision needs
 * 2f+1 approvals, and once more than n-(2f+1) have rejected, approval can no longer be reached.
 */
public record Quorum(int n, int f) {

    public Quorum {
        if (f < 0 || n < 3 * f + 1) {
            throw new IllegalArgumentException("a Byzantine quorum needs n >= 3f+1 (n=" + n + ", f=" + f + ")");
        }
    }

    public int approvalsNeeded() {
        return 2 * f + 1;
    }

    /** APPROVED, REJECTED, or null while still open. */
    public EscalationStatus outcome(int approvals, int rejections) {
        if (approvals >= approvalsNeeded()) {
            return EscalationStatus.APPROVED;
        }
        if (rejections > n - approvalsNeeded()) {
            return EscalationStatus.REJECTED;
        }
        return null;
    }
}

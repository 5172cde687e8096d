package io.trustplane.gate.domain;

/** Lifecycle of an escalation: OPEN for validator votes, AWAITING_OPERATOR after the timeout, then decided. */
public enum EscalationStatus {
    OPEN, AWAITING_OPERATOR, APPROVED, REJECTED;

    public boolean decided() {
        return this == APPROVED || this == REJECTED;
    }
}

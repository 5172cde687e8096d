package io.trustplane.gate.domain;

/** A state change of an escalation: the escalation after it, and whether this call made the transition. */
public record EscalationTransition(EscalationRecord escalation, boolean changed) {
}

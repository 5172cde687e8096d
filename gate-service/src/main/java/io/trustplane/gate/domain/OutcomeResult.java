package io.trustplane.gate.domain;

/** A recorded outcome: the agent after it, the truth share that moved its score, the move and the outcomes scored. */
public record OutcomeResult(AgentSnapshot agent, double truthShare, int delta, int outcomes) {
}

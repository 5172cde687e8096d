package io.trustplane.gate.domain;

/** A flag change: the flag after it and the change recorded. */
public record FlagTransition(FlagRecord flag, FlagChange change) {
}

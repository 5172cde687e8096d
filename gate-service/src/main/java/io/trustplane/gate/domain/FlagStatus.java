package io.trustplane.gate.domain;

/** State of a staged rollout. */
public enum FlagStatus {
    ACTIVE, PAUSED, ROLLED_BACK, COMPLETED
}

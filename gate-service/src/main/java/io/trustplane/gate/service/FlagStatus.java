package io.trustplane.gate.service;

/** State of a staged rollout. */
public enum FlagStatus {
    ACTIVE, PAUSED, ROLLED_BACK, COMPLETED
}

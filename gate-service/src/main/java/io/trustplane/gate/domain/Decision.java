package io.trustplane.gate.domain;

/** What a role gate answers. */
public enum Decision {
    ALLOW, DENY, ESCALATE
}

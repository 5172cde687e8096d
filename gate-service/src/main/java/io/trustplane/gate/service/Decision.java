package io.trustplane.gate.service;

/** What a role gate answers. */
public enum Decision {
    ALLOW, DENY, ESCALATE
}

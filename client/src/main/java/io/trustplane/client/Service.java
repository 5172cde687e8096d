package io.trustplane.client;

/** The four Trustplane services the client talks to. */
public enum Service {
    LEASE, PROVENANCE, GATE, TELEMETRY
}

package io.trustplane.gate.domain;

/** Regulatory frameworks an agent operates under; each caps the agent's effective score (values in config). */
public enum RegulatoryFramework {
    EU_AI_ACT, ISO_42001, NIST_AI_RMF
}

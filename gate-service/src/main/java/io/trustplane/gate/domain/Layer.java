package io.trustplane.gate.domain;

/** Which of the three evaluation layers produced a decision, checked in this order. */
public enum Layer {
    /** Hard rules no policy can override: unknown/contained/suspended agent, forged tier, unknown or kernel-enforced role. */
    KERNEL,
    /** Admin-managed rules, highest priority first. */
    POLICY,
    /** The default by tier distance to the role's minimum tier. */
    BASIS
}

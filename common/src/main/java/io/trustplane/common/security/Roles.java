package io.trustplane.common.security;

/**
 * The roles a bearer token carries in its {@code groups} claim. Every {@code @RolesAllowed} lists its roles in the
 * order declared here (agent, operator, admin, service), so one set of roles has one spelling; each service's
 * {@code LayerTest} checks it.
 */
public final class Roles {

    /** An autonomous agent; {@code sub} is its agent id and it may act only as itself. */
    public static final String AGENT = "agent";
    /** A human operator: reads everything, manages alerts and escalations. */
    public static final String OPERATOR = "operator";
    /** Manages policies, rollouts, webhooks and keys. */
    public static final String ADMIN = "admin";
    /** Another Trustplane service calling on its own behalf or for an agent. */
    public static final String SERVICE = "service";

    private Roles() {
    }
}

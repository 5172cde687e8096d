package io.trustplane.common.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.trustplane.common.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, as established by the verified bearer token, and the one rule every service shares:
 * an agent acts only as itself, while operators, admins and services may name any agent.
 */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The token's subject: the agent id for agents, a person or service name otherwise. */
    public String id() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    public boolean has(String role) {
        return identity.hasRole(role);
    }

    /** Operators, admins and services may read or act for any agent. */
    public boolean isPrivileged() {
        return has(Roles.OPERATOR) || has(Roles.ADMIN) || has(Roles.SERVICE);
    }

    /** Throws 403 unless the caller is the named agent or privileged. */
    public void requireActingFor(String agentId) {
        if (!mayActFor(agentId)) {
            throw ProblemException.forbidden("an agent may act only as itself; '" + id()
                    + "' may not act for '" + agentId + "'");
        }
    }

    public boolean mayActFor(String agentId) {
        return isPrivileged() || (agentId != null && agentId.equals(id()));
    }
}

package io.trustplane.conformance;

import io.trustplane.testing.TokenMinter;

import java.time.Instant;

/**
 * Who calls, in the access matrix: nobody, the agent a request is about, another agent, each privileged role, and
 * four kinds of broken token (each carrying every role, so only the broken part can be what refuses it).
 */
enum Identity {
    NONE(false),
    AGENT_SELF(true),
    AGENT_OTHER(true),
    OPERATOR(true),
    ADMIN(true),
    SERVICE(true),
    EXPIRED(false),
    WRONG_ISSUER(false),
    WRONG_SIGNATURE(false),
    ALG_NONE(false);

    static final String SELF = "conf-agent-self";
    static final String OTHER = "conf-agent-other";
    private static final String[] ALL_ROLES = {"agent", "operator", "admin", "service"};

    private final boolean valid;

    Identity(boolean valid) {
        this.valid = valid;
    }

    /** A verified token: refusals are 403. Otherwise 401. */
    boolean valid() {
        return valid;
    }

    /** The bearer token, or null for {@link #NONE}. */
    String token(Conformance c) {
        TokenMinter m = c.minter();
        return switch (this) {
            case NONE -> null;
            case AGENT_SELF -> m.agent(SELF);
            case AGENT_OTHER -> m.agent(OTHER);
            case OPERATOR -> m.mint("conf-operator", "operator");
            case ADMIN -> m.mint("conf-admin", "admin");
            case SERVICE -> m.mint("conf-service", "service");
            // 30 s past exp: beyond the 5 s clock skew the services allow (SmallRye's default of 60 s let it in)
            case EXPIRED -> m.mint(TokenMinter.ISSUER, SELF, Instant.now().minusSeconds(30), ALL_ROLES);
            case WRONG_ISSUER -> m.wrongIssuer(SELF, ALL_ROLES);
            case WRONG_SIGNATURE -> c.forger().mint(TokenMinter.ISSUER, SELF, Instant.now().plusSeconds(3600), ALL_ROLES);
            case ALG_NONE -> TokenMinter.unsigned(SELF, ALL_ROLES);
        };
    }
}

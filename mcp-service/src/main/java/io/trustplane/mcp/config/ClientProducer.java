package io.trustplane.mcp.config;

import io.quarkus.security.identity.SecurityIdentity;
import io.trustplane.client.TrustplaneClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one Trustplane client of the endpoint. It sends, with every call, the bearer token of the MCP request being
 * served (read from the current security identity), so a tool can do nothing its caller could not do over REST.
 */
@ApplicationScoped
public class ClientProducer {

    private final SecurityIdentity identity;
    private final ServicesConfig services;
    private final McpConfig config;

    public ClientProducer(SecurityIdentity identity, ServicesConfig services, McpConfig config) {
        this.identity = identity;
        this.services = services;
        this.config = config;
    }

    @Produces
    @Singleton
    TrustplaneClient client() {
        return TrustplaneClient.builder()
                .lease(services.lease())
                .provenance(services.provenance())
                .gate(services.gate())
                .telemetry(services.telemetry())
                .deadline(config.callDeadline())
                .token(this::callerToken)
                .build();
    }

    void close(@Disposes TrustplaneClient client) {
        client.close();
    }

    /** The raw JWT of the request being served; never a token of another request or of the session's opener. */
    private String callerToken() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getRawToken() == null) {
            throw new IllegalStateException("no bearer token on this request");
        }
        return jwt.getRawToken();
    }
}

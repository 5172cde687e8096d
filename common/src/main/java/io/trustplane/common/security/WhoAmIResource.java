package io.trustplane.common.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/** {@code GET /v1/whoami}: what a token proves, served by every service so callers can check theirs. */
@Path("/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    /** The verified caller: subject, the Trustplane roles it holds, and the service that answered. */
    public record WhoAmI(String subject, List<String> roles, String service) {
    }

    private final Caller caller;
    private final String service;

    public WhoAmIResource(Caller caller, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.caller = caller;
        this.service = service;
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public WhoAmI whoami() {
        List<String> roles = List.of(Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE).stream()
                .filter(caller::has).toList();
        return new WhoAmI(caller.id(), roles, service);
    }
}

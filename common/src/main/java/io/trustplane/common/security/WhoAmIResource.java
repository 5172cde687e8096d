package io.trustplane.common.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code GET /v1/whoami}: what a token proves, served by every service so callers can check theirs. */
@Tag(name = "identity", description = "Who the bearer token proves the caller is.")
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

    @Operation(summary = "Who am I",
            description = "The subject and Trustplane roles the caller's bearer token proves, and the service that "
                    + "answered: a quick check that a token works before an agent uses it.")
    @APIResponse(responseCode = "200", description = "The verified caller")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public WhoAmI whoami() {
        List<String> roles = List.of(Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE).stream()
                .filter(caller::has).toList();
        return new WhoAmI(caller.id(), roles, service);
    }
}

package io.trustplane.gate.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.rest.AgentResource.AgentView;
import io.trustplane.gate.service.AgentService;
import io.trustplane.gate.domain.Tier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent list in creation order, keyset-paged, filtered by tier (of the effective score), status (ACTIVE or
 * SUSPENDED) and a trust-score range. An agent's list holds itself alone.
 */
@Tag(name = "agents",
        description = "The agent registry: trust scores and tiers, suspension, and truth scoring of reported "
                + "outcomes.")
@Path("/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentListResource {

    private final AgentService agents;
    private final Caller caller;

    public AgentListResource(AgentService agents, Caller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    @Operation(summary = "List agents",
            description = "Agents in creation order, keyset-paged, filtered by tier (of the effective score), status "
                    + "(ACTIVE or SUSPENDED) and a trust-score range. An agent's list holds itself alone.")
    @APIResponse(responseCode = "200", description = "A page of agents")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Keyset.Page<AgentView>> list(
            @QueryParam("tier") @Pattern(regexp = Ids.TIER, message = Ids.TIER_MESSAGE) String tier,
            @QueryParam("status") @Pattern(regexp = "ACTIVE|SUSPENDED", message = "must be ACTIVE or SUSPENDED") String status,
            @QueryParam("minScore") String minScore,
            @QueryParam("maxScore") String maxScore,
            @QueryParam("cursor") @Size(max = 256) String cursor,
            @QueryParam("limit") String limit) {
        String only = caller.isPrivileged() ? null : caller.id();
        return agents.list(only, tier == null ? null : Tier.parse(tier),
                        status == null ? null : "SUSPENDED".equals(status), score("minScore", minScore),
                        score("maxScore", maxScore), cursor, limit)
                .map(page -> page.map(a -> AgentView.of(a.agent())));
    }

    /** A score bound, read here so that a non-number is a 400 naming it (JAX-RS would answer 404). */
    private static Integer score(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(parameter, "must be a whole number between 0 and 1000");
    }
}

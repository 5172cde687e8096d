package io.trustplane.gate.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.Evaluation;
import io.trustplane.gate.service.GateService;
import io.trustplane.gate.domain.Tier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Role-gate evaluation with seed 002's payload, unchanged. */
@Tag(name = "role gates",
        description = "Decisions on whether an agent may take an action: policies, tier and role, with escalation to "
                + "validators.")
@Path("/v1/role-gates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RoleGateResource {

    private final GateService gate;
    private final Caller caller;

    public RoleGateResource(GateService gate, Caller caller) {
        this.gate = gate;
        this.caller = caller;
    }

    /** {@code {agentId, role, tier, context{resourceId, action}}}; {@code tier} is what the agent claims. */
    public record EvaluateRequest(
            @NotBlank @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @NotBlank @Pattern(regexp = Ids.NAME, message = Ids.NAME_MESSAGE) String role,
            @Pattern(regexp = Ids.TIER, message = Ids.TIER_MESSAGE) String tier,
            @Valid Context context) {
    }

    /** What the agent wants to do with the role. */
    public record Context(@Size(max = 256) String resourceId, @Size(max = 64) String action) {
    }

    @Operation(summary = "Decide whether an agent may act",
            description = "Evaluates the agent's action on a resource against suspension, the policies, its tier and "
                    + "its role: ALLOW, DENY or ESCALATE (then `escalationId` names the escalation validators vote "
                    + "on). Agents may ask only for themselves.")
    @APIResponse(responseCode = "200", description = "The decision, the layer that made it and why")
    @Idempotent(Idempotent.Store.REDIS)
    @POST
    @Path("/evaluate")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Evaluation> evaluate(@Valid @NotNull EvaluateRequest request) {
        caller.requireActingFor(request.agentId());
        Context ctx = request.context() == null ? new Context(null, null) : request.context();
        return gate.evaluate(request.agentId(), request.role(), Tier.parse(request.tier()), ctx.resourceId(), ctx.action());
    }
}

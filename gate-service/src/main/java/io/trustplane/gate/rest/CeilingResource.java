package io.trustplane.gate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.service.CeilingService;
import io.trustplane.gate.domain.CeilingStatus;
import io.trustplane.gate.domain.Tier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** Capability ceiling checks with seed 002's payload; the registered tier decides the limit. */
@Tag(name = "ceilings",
        description = "Capability ceilings: how much of a resource type an agent may consume per window.")
@Path("/v1/ceiling")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CeilingResource {

    private final CeilingService ceilings;
    private final Caller caller;

    public CeilingResource(CeilingService ceilings, Caller caller) {
        this.ceilings = ceilings;
        this.caller = caller;
    }

    /** {@code {agentId, resourceType, requestedAmount, tier}}; {@code tier} is informational. */
    public record CheckRequest(
            @NotBlank @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @NotBlank @Pattern(regexp = Ids.NAME, message = Ids.NAME_MESSAGE) String resourceType,
            @NotNull @Min(1) @Max(1_000_000_000L) Long requestedAmount,
            @Pattern(regexp = Ids.TIER, message = Ids.TIER_MESSAGE) String tier) {
    }

    /** The answer; {@code used} includes this request when it was allowed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckResponse(boolean allowed, CeilingStatus status, long used, long limit, long remaining,
            Instant resetAt, Tier tier, String reason) {
    }

    @Operation(summary = "Check and consume a capability ceiling",
            description = "Counts the amount against the agent's ceiling for the resource type in the current window "
                    + "and says whether it is allowed, with what is used and what remains. A refused amount is not "
                    + "counted.")
    @APIResponse(responseCode = "200", description = "Whether the amount is allowed, and the ceiling's state")
    @APIResponse(responseCode = "422",
            description = "`unknown_resource_type`: no ceiling is configured for this resource type")
    @APIResponse(responseCode = "503",
            description = "`ceiling_store_unavailable`: Redis, which keeps the ceilings, is unreachable; "
                    + "`dependency_unavailable`: PostgreSQL is unreachable; `Retry-After` says when to retry")
    @Idempotent(Idempotent.Store.REDIS)
    @POST
    @Path("/check")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<CheckResponse> check(@Valid @NotNull CheckRequest request) {
        caller.requireActingFor(request.agentId());
        return ceilings.check(request.agentId(), request.resourceType(), request.requestedAmount(),
                        Tier.parse(request.tier()))
                .map(c -> new CheckResponse(c.allowed(), c.status(), c.used(), c.limit(), c.remaining(), c.resetAt(),
                        c.tier(), c.reason()));
    }
}

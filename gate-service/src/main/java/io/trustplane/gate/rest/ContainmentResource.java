package io.trustplane.gate.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Containment;
import io.trustplane.gate.service.ContainmentService;
import io.trustplane.gate.service.ContainmentService.NotUndone;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** Containing an agent (everything it asks is denied, its leases and approvals taken away) and lifting that. */
@Path("/v1/agents/{agentId}/containment")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
public class ContainmentResource {

    private final ContainmentService containment;
    private final Caller caller;

    public ContainmentResource(ContainmentService containment, Caller caller) {
        this.containment = containment;
        this.caller = caller;
    }

    /** Why an operator contains an agent, or lifts its containment. */
    public record ContainmentRequest(@NotBlank @Size(min = 1, max = 500) String reason) {
    }

    /** A failed step of a containment, to be completed by containing the agent again. */
    public record FailedStepView(String step, String why) {
    }

    /** A contained agent and everything its containment did. */
    public record ContainmentView(String agentId, boolean contained, String reason, String containedBy,
            Instant containedAt, List<String> leasesReleased, List<String> approvalsRevoked, List<String> flagsPinned,
            boolean alertRaised, String eventId, List<FailedStepView> failedSteps) {

        static ContainmentView of(AgentSnapshot a) {
            Containment c = a.containment();
            return new ContainmentView(a.agentId(), true, c.reason(), c.containedBy(), c.containedAt(),
                    c.leasesReleased(), c.approvalsRevoked(), c.flagsPinned(), true, c.eventId(),
                    c.failedSteps().stream().map(f -> new FailedStepView(f.step(), f.why())).toList());
        }
    }

    /** A lifted containment: what was undone, and what could not be and why. */
    public record LiftView(String agentId, boolean contained, List<String> undone, List<NotUndone> notUndone) {
    }

    @Idempotent
    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Contain an agent", description = "From now on every gate decision for the agent is DENY "
            + "(evaluate, ceiling checks, tool calls); lease-service force-releases all its leases (their fencing "
            + "tokens go stale), its open and unused approvals are revoked, it is pinned to the control arm of every "
            + "flag not rolled back, and the anchored agent.contained event records all of it and raises a HIGH "
            + "CONTAINMENT alert. Containing a contained agent does nothing again; if a step failed before "
            + "(failedSteps, e.g. lease-service unreachable), it completes that step.")
    @APIResponse(responseCode = "200", description = "The agent is contained; what the containment did")
    @APIResponse(responseCode = "409", description = ApiText.IDEMPOTENCY_CONFLICTS)
    public Uni<ContainmentView> contain(
            @PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @Valid @NotNull ContainmentRequest request) {
        return containment.contain(agentId, request.reason(), caller.id()).map(ContainmentView::of);
    }

    @Idempotent
    @POST
    @Path("/lift")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Lift an agent's containment", description = "Gate decisions follow the agent's tier and "
            + "the policies again and its flags are unpinned; released leases and revoked approvals stay as they are "
            + "(notUndone says so). Recorded by the anchored agent.containment_lifted event.")
    @APIResponse(responseCode = "200", description = "The containment is lifted; what was undone and what was not")
    @APIResponse(responseCode = "409", description = "`agent_not_contained`: the agent is not contained; " + ApiText.IDEMPOTENCY_CONFLICTS)
    public Uni<LiftView> lift(@PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @Valid @NotNull ContainmentRequest request) {
        return containment.lift(agentId, request.reason(), caller.id())
                .map(l -> new LiftView(agentId, false, l.undone(), l.notUndone()));
    }
}

package io.trustplane.gate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.ScoreChange;
import io.trustplane.gate.service.AgentService;
import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.Containment;
import io.trustplane.gate.domain.RegulatoryFramework;
import io.trustplane.gate.domain.Tier;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Agents: registration with trust score, tier lookup, suspension, score history and verified outcomes. */
@Tag(name = "agents",
        description = "The agent registry: trust scores and tiers, suspension, and truth scoring of reported "
                + "outcomes.")
@Path("/v1/agents/{agentId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {

    private final AgentService agents;
    private final Caller caller;

    public AgentResource(AgentService agents, Caller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    /** Registration or replacement of an agent. */
    public record AgentRequest(
            @NotNull @Min(0) @Max(1000) Integer trustScore,
            @Size(max = 3) List<@NotNull @Pattern(regexp = Ids.FRAMEWORK, message = Ids.FRAMEWORK_MESSAGE) String> frameworks,
            @Size(max = 64) Map<@Size(max = 64) String, Object> attributes) {
    }

    /** Suspension with its reason. */
    public record SuspendRequest(@NotBlank @Size(max = 1024) String reason) {
    }

    /** A claim the agent made and whether verification confirmed it. */
    public record OutcomeRequest(@NotBlank @Size(max = 1024) String claim, @NotNull Boolean confirmed) {
    }

    /** An agent as the API shows it; {@code containment} is null unless the agent is contained. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgentView(String agentId, int trustScore, int effectiveScore, Tier tier, String tierAlias,
            List<RegulatoryFramework> frameworks, Map<String, Object> attributes, boolean suspended,
            String suspendedReason, long version, Instant updatedAt, boolean contained,
            @JsonInclude(JsonInclude.Include.ALWAYS) ContainmentSummary containment) {

        static AgentView of(AgentSnapshot a) {
            Containment c = a.containment();
            return new AgentView(a.agentId(), a.trustScore(), a.effectiveScore(), a.tier(), a.tier().alias(),
                    a.frameworks(), a.attributes(), a.suspended(), a.suspendedReason(), a.version(), a.updatedAt(),
                    a.contained(), c == null ? null : new ContainmentSummary(c.reason(), c.containedBy(),
                    c.containedAt(), c.failedSteps().isEmpty()));
        }
    }

    /** Who contained an agent, when and why; {@code complete} false while a step waits for a retry. */
    public record ContainmentSummary(String reason, String containedBy, Instant containedAt, boolean complete) {
    }

    /** The agent after an outcome moved its score. */
    public record OutcomeView(AgentView agent, double truthShare, int scoreDelta, int outcomesScored) {
    }

    @Operation(summary = "Register or update an agent",
            description = "Creates the agent's entry (with its initial trust score and role) or updates it. Its tier "
                    + "follows from its effective score (bands in docs/concepts.md).")
    @APIResponse(responseCode = "200", description = "The agent")
    @PUT
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AgentView> register(@PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @Valid @NotNull AgentRequest request) {
        return agents.register(agentId, request.trustScore(),
                request.frameworks() == null ? null : request.frameworks().stream().map(RegulatoryFramework::valueOf).toList(), request.attributes(), caller.id())
                .map(AgentView::of);
    }

    @Operation(summary = "Get an agent",
            description = "The agent's trust score, effective score (after decay), tier and status. An agent may read "
                    + "only its own entry.")
    @APIResponse(responseCode = "200", description = "The agent")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AgentView> get(@PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId) {
        caller.requireActingFor(agentId);
        return agents.get(agentId).map(AgentView::of);
    }

    @Operation(summary = "An agent's score history",
            description = "Every change of the agent's trust score, newest first, with its reason. An agent may read "
                    + "only its own history.")
    @APIResponse(responseCode = "200", description = "The score changes")
    @GET
    @Path("/history")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<ScoreChange>> history(
            @PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        caller.requireActingFor(agentId);
        return agents.history(agentId, limit);
    }

    @Operation(summary = "Suspend an agent",
            description = "Suspends the agent with a reason: while suspended, every gate decision for it is DENY.")
    @APIResponse(responseCode = "200", description = "The suspended agent")
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/suspend")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AgentView> suspend(@PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @Valid @NotNull SuspendRequest request) {
        return agents.suspend(agentId, true, request.reason()).map(AgentView::of);
    }

    @Operation(summary = "Reinstate a suspended agent",
            description = "Ends the agent's suspension; its decisions follow its tier again.")
    @APIResponse(responseCode = "200", description = "The reinstated agent")
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/reinstate")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AgentView> reinstate(
            @PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId) {
        return agents.suspend(agentId, false, null).map(AgentView::of);
    }

    /** Verified outcomes come from verifiers (services, operators), never from the agent itself. */
    @Operation(summary = "Report a verified outcome (truth scoring)",
            description = "A verifier (service, operator or admin, never the agent itself) reports whether a claim "
                    + "the agent made turned out true. Confirmed claims raise the score, refuted ones lower it; the "
                    + "answer carries the new score and the agent's truth share.")
    @APIResponse(responseCode = "200", description = "The agent after the outcome, with the score change")
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/outcomes")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<OutcomeView> outcome(@PathParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @Valid @NotNull OutcomeRequest request) {
        return agents.recordOutcome(agentId, request.claim(), request.confirmed(), caller.id())
                .map(r -> new OutcomeView(AgentView.of(r.agent()), r.truthShare(), r.delta(), r.outcomes()));
    }
}

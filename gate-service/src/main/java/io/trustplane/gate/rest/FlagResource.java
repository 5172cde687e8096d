package io.trustplane.gate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.FlagChange;
import io.trustplane.gate.domain.FlagRecord;
import io.trustplane.gate.domain.FlagStatus;
import io.trustplane.gate.service.RolloutService;
import io.trustplane.gate.domain.RolloutTrigger;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.List;

/**
 * Staged rollouts: agents ask whether a flag is on for them; admins create, advance, pause and roll back;
 * telemetry-service (service role) reads the triggers and calls rollback when one fires.
 */
@Tag(name = "rollouts",
        description = "Feature flags rolled out in stages, advanced by hand or automatically, and rolled back when "
                + "the cohort looks worse.")
@Path("/v1/flags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FlagResource {

    private final RolloutService rollouts;
    private final Caller caller;

    public FlagResource(RolloutService rollouts, Caller caller) {
        this.rollouts = rollouts;
        this.caller = caller;
    }

    /** A new flag; stages and triggers default to seed 004's. */
    public record FlagRequest(
            @NotBlank @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag,
            @Size(max = 512) String description,
            @Size(min = 1, max = 10) List<@NotNull @Min(1) @Max(100) Integer> stages,
            @Size(max = 10) List<@Valid @NotNull TriggerRequest> triggers) {
    }

    /** A stage's rollback trigger. */
    public record TriggerRequest(@NotNull @Min(1) @Max(100) Integer percent, @Min(0) @Max(1000) Integer responseTimeIncreasePct,
            @Min(0) @Max(1000) Integer errorRateIncreasePct, @Size(max = 64) String condition) {

        RolloutTrigger trigger() {
            return new RolloutTrigger(percent, responseTimeIncreasePct, errorRateIncreasePct, condition);
        }
    }

    /** Why a flag is rolled back; {@code trigger} names the trigger that fired, if any. */
    public record RollbackRequest(@Size(max = 1024) String reason, @Size(max = 64) String trigger) {
    }

    /** A flag as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlagView(String flag, String description, List<Integer> stages, int stageIndex, int percent,
            FlagStatus status, RolloutTrigger activeTrigger, List<RolloutTrigger> triggers, long version,
            Instant createdAt, Instant updatedAt) {

        static FlagView of(FlagRecord f) {
            return new FlagView(f.flag(), f.description(), f.stages(), f.stageIndex(), f.percent(), f.status(),
                    f.activeTrigger(), f.triggers(), f.version(), f.createdAt(), f.updatedAt());
        }
    }

    /**
     * {@code GET /v1/flags/{flag}}'s answer: the flag's fields ({@link FlagView}) without {@code agentId}, the agent's
     * membership ({@link RolloutService.Membership}) with it; absent fields are left out, so each answer carries
     * exactly the fields of its shape.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FlagLookup(String flag, String agentId, Boolean enabled, String description, List<Integer> stages,
            Integer stageIndex, int percent, FlagStatus status, Integer bucket, Boolean pinnedToControl,
            RolloutTrigger activeTrigger, List<RolloutTrigger> triggers, Long version, Instant createdAt,
            Instant updatedAt) {

        static FlagLookup of(FlagRecord f) {
            return new FlagLookup(f.flag(), null, null, f.description(), f.stages(), f.stageIndex(), f.percent(),
                    f.status(), null, null, f.activeTrigger(), f.triggers(), f.version(), f.createdAt(),
                    f.updatedAt());
        }

        static FlagLookup of(RolloutService.Membership m) {
            return new FlagLookup(m.flag(), m.agentId(), m.enabled(), null, null, null, m.percent(), m.status(),
                    m.bucket(), m.pinnedToControl(), null, null, null, null, null);
        }
    }

    @Operation(summary = "List flags",
            description = "Every flag with its stages, current percent and status.")
    @APIResponse(responseCode = "200", description = "The flags")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<FlagView>> list() {
        return rollouts.list().map(l -> l.stream().map(FlagView::of).toList());
    }

    @Operation(summary = "Create a flag (admin)",
            description = "Creates a flag with its rollout stages (percents, increasing, ending at 100) and its "
                    + "rollback triggers.")
    @APIResponse(responseCode = "201", description = "The flag",
            content = @Content(schema = @Schema(implementation = FlagView.class)))
    @APIResponse(responseCode = "409",
            description = "`flag_exists`: a flag with this name exists; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @APIResponse(responseCode = "422",
            description = "`invalid_stages`: stages must increase and end at 100; `invalid_triggers`: a trigger is "
                    + "out of range")
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<RestResponse<FlagView>> create(@Valid @NotNull FlagRequest request) {
        List<RolloutTrigger> triggers = request.triggers() == null ? null
                : request.triggers().stream().map(TriggerRequest::trigger).toList();
        return rollouts.create(request.flag(), request.description(), request.stages(), triggers, caller.id())
                .map(f -> RestResponse.status(RestResponse.Status.CREATED, FlagView.of(f)));
    }

    /** With {@code agentId}: whether the flag is on for that agent; without: the flag itself. */
    @Operation(summary = "Get a flag, or whether it is on for an agent",
            description = "Without agentId, the flag itself; with agentId, whether the flag is on for that agent (its "
                    + "stable bucket against the current percent). Agents may ask only for themselves.")
    @APIResponse(responseCode = "200", description = "The flag, or the agent's membership",
            content = @Content(schema = @Schema(oneOf = {FlagView.class, RolloutService.Membership.class})))
    @GET
    @Path("/{flag}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<FlagLookup> get(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag,
            @QueryParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId) {
        if (agentId == null) {
            return rollouts.get(flag).map(FlagLookup::of);
        }
        caller.requireActingFor(agentId);
        return rollouts.membership(flag, agentId).map(FlagLookup::of);
    }

    @Operation(summary = "A flag's history",
            description = "Every change of the flag (created, advanced, paused, resumed, rolled back), oldest first.")
    @APIResponse(responseCode = "200", description = "The changes")
    @GET
    @Path("/{flag}/history")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<FlagChange>> history(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.history(flag);
    }

    @Operation(summary = "Advance a flag to its next stage (admin)",
            description = "Moves the rollout to its next percent.")
    @APIResponse(responseCode = "200", description = "The flag")
    @APIResponse(responseCode = "409",
            description = "`flag_paused`: resume it first; `flag_completed`: it is at 100% (after a rollback, "
                    + "advancing re-opens the stage that was rolled back); " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/advance")
    @RolesAllowed(Roles.ADMIN)
    public Uni<FlagView> advance(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.advance(flag, caller.id()).map(FlagView::of);
    }

    @Operation(summary = "Roll a flag back",
            description = "Turns the flag off for everyone, with a reason and what triggered it (telemetry-service "
                    + "calls this when the cohort's error rate or latency is worse than the control's).")
    @APIResponse(responseCode = "200", description = "The rolled-back flag")
    @APIResponse(responseCode = "409",
            description = "`flag_rolled_back`: the flag is already rolled back; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/rollback")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    public Uni<FlagView> rollback(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag,
            @Valid RollbackRequest request) {
        String reason = request == null ? null
                : request.trigger() == null ? request.reason()
                : "trigger " + request.trigger() + (request.reason() == null ? "" : ": " + request.reason());
        return rollouts.rollback(flag, reason, caller.id()).map(FlagView::of);
    }

    @Operation(summary = "Pause a flag (admin)",
            description = "Holds the rollout at its current percent.")
    @APIResponse(responseCode = "200", description = "The paused flag")
    @APIResponse(responseCode = "409",
            description = "`flag_not_active`: the flag is not rolling out; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/pause")
    @RolesAllowed(Roles.ADMIN)
    public Uni<FlagView> pause(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.pause(flag, true, caller.id()).map(FlagView::of);
    }

    @Operation(summary = "Resume a paused flag (admin)",
            description = "Lets a paused rollout advance again.")
    @APIResponse(responseCode = "200", description = "The flag")
    @APIResponse(responseCode = "409",
            description = "`flag_not_paused`: the flag is not paused; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/resume")
    @RolesAllowed(Roles.ADMIN)
    public Uni<FlagView> resume(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.pause(flag, false, caller.id()).map(FlagView::of);
    }
}

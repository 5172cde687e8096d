package io.trustplane.gate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.repository.FlagRepository.FlagChange;
import io.trustplane.gate.repository.FlagRepository.FlagRecord;
import io.trustplane.gate.service.FlagStatus;
import io.trustplane.gate.service.RolloutService;
import io.trustplane.gate.service.RolloutTrigger;
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
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.List;

/**
 * Staged rollouts: agents ask whether a flag is on for them; admins create, advance, pause and roll back;
 * telemetry-service (service role) reads the triggers and calls rollback when one fires.
 */
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

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.SERVICE})
    public Uni<List<FlagView>> list() {
        return rollouts.list().map(l -> l.stream().map(FlagView::of).toList());
    }

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
    @GET
    @Path("/{flag}")
    @RolesAllowed({Roles.AGENT, Roles.ADMIN, Roles.OPERATOR, Roles.SERVICE})
    public Uni<?> get(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag,
            @QueryParam("agentId") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId) {
        if (agentId == null) {
            return rollouts.get(flag).map(FlagView::of);
        }
        caller.requireActingFor(agentId);
        return rollouts.membership(flag, agentId);
    }

    @GET
    @Path("/{flag}/history")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.SERVICE})
    public Uni<List<FlagChange>> history(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.history(flag);
    }

    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/advance")
    @RolesAllowed(Roles.ADMIN)
    public Uni<FlagView> advance(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.advance(flag, caller.id()).map(FlagView::of);
    }

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

    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/pause")
    @RolesAllowed(Roles.ADMIN)
    public Uni<FlagView> pause(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.pause(flag, true, caller.id()).map(FlagView::of);
    }

    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/{flag}/resume")
    @RolesAllowed(Roles.ADMIN)
    public Uni<FlagView> resume(@PathParam("flag") @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String flag) {
        return rollouts.pause(flag, false, caller.id()).map(FlagView::of);
    }
}

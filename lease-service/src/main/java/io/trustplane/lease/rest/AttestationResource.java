package io.trustplane.lease.rest;

import io.trustplane.common.openapi.ApiText;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.lease.rest.TaskRequests.Attest;
import io.trustplane.lease.rest.TaskRequests.ResetBaseline;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.AttestationResult;
import io.trustplane.lease.domain.AttestationStats;
import io.trustplane.lease.domain.BaselineReset;
import io.trustplane.lease.service.AttestationService;
import io.trustplane.lease.domain.PromptSpec;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Prompt attestation: record what a phase's prompt said, detect drift from the baseline, reset baselines. */
@Tag(name = "attestations",
        description = "Spec attestations: the hash of the spec an agent works from, compared with the phase's "
                + "baseline to detect drift.")
@Path("/v1/attestations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AttestationResource {

    private final AttestationService attestations;
    private final Caller caller;

    public AttestationResource(AttestationService attestations, Caller caller) {
        this.attestations = attestations;
        this.caller = caller;
    }

    @Operation(summary = "Attest the spec of a task phase",
            description = "Records the hash of the spec the lease holder works from. The first attestation of a "
                    + "(task, phase) sets the baseline; a later one that differs is a drift, with a severity. Only "
                    + "the lease holder may attest.")
    @APIResponse(responseCode = "200", description = "The attestation, with drift and severity")
    @APIResponse(responseCode = "403",
            description = "`forbidden`: the caller's role does not allow this route, or an agent names another agent; "
                    + "`not_lease_holder`: the lease is held by another agent")
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent
    @POST
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AttestationResult> attest(@Valid @NotNull Attest b) {
        return attestations.attest(Actors.of(caller), new PromptSpec(b.phase(), b.taskId(),
                b.requirements(), b.qualityGates(), b.artifacts(), b.contextSummary(), b.personaHash(), b.agentType(),
                b.modelVersion()));
    }

    @Operation(summary = "Reset an attestation baseline (operator)",
            description = "Retires the current baseline of a (task, phase), with a reason; the next attestation sets "
                    + "a new baseline.")
    @APIResponse(responseCode = "200", description = "The retired and the next baseline version",
            content = @Content(schema = @Schema(implementation = BaselineReset.class)))
    @APIResponse(responseCode = "404",
            description = "`not_found`: the (task, phase) has no baseline")
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent
    @POST
    @Path("/baselines/reset")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<BaselineReset> reset(@Valid @NotNull ResetBaseline b) {
        return attestations.reset(new Actor(caller.id(), true), b.taskId(), b.phase(), b.reason());
    }

    @Operation(summary = "Attestation and drift counts",
            description = "How many attestations, baselines and drifts were recorded, by drift severity and by phase.")
    @APIResponse(responseCode = "200", description = "The counts",
            content = @Content(schema = @Schema(implementation = AttestationStats.class)))
    @GET
    @Path("/stats")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AttestationStats> stats() {
        return attestations.stats();
    }
}

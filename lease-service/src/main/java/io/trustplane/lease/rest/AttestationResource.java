package io.trustplane.lease.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.lease.rest.TaskRequests.Attest;
import io.trustplane.lease.rest.TaskRequests.ResetBaseline;
import io.trustplane.lease.service.Actor;
import io.trustplane.lease.service.AttestationResult;
import io.trustplane.lease.service.AttestationService;
import io.trustplane.lease.service.PromptSpec;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** Prompt attestation: record what a phase's prompt said, detect drift from the baseline, reset baselines. */
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

    @Idempotent
    @POST
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AttestationResult> attest(@Valid @NotNull Attest b) {
        return attestations.attest(Actors.of(caller), new PromptSpec(b.phase(), b.taskId(),
                b.requirements(), b.qualityGates(), b.artifacts(), b.contextSummary(), b.personaHash(), b.agentType(),
                b.modelVersion()));
    }

    @Idempotent
    @POST
    @Path("/baselines/reset")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<Map<String, Object>> reset(@Valid @NotNull ResetBaseline b) {
        return attestations.reset(new Actor(caller.id(), true), b.taskId(), b.phase(), b.reason());
    }

    @GET
    @Path("/stats")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Map<String, Object>> stats() {
        return attestations.stats();
    }
}

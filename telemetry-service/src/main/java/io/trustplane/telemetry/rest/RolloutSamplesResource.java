package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.service.RolloutSampleService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/rollouts/{flag}/samples}: aggregated request figures of one arm of a rollout (cohort or control)
 * from a reporter with the {@code service} role (a service's own request metrics, a load balancer's exporter); the
 * rollout guard compares them. Agents cannot report here: what an agent says about itself never rolls a flag back.
 */
@Tag(name = "ingest",
        description = "Telemetry ingest: counter lines from agents and services, and rollout samples.")
@Path("/v1/rollouts/{flag}/samples")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutSamplesResource {

    /** Which side of the rollout the figures are from. */
    public enum Arm { COHORT, CONTROL }

    /** One sample: requests, errors among them, and their p95 latency, over the reporter's interval. */
    public record Sample(@NotNull Arm arm, @NotNull @Min(1) @Max(100_000_000) Long requests,
            @NotNull @PositiveOrZero Long errors, @NotNull @PositiveOrZero @Max(3_600_000) Double p95LatencyMs,
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
    }

    /** What was stored. */
    public record Accepted(String flag, Arm arm, String sampleId) {
    }

    private final RolloutSampleService samples;
    private final Caller caller;

    public RolloutSamplesResource(RolloutSampleService samples, Caller caller) {
        this.samples = samples;
        this.caller = caller;
    }

    @Operation(summary = "Report a rollout sample",
            description = "A service reports requests, errors and latency of a flag's cohort or control arm; the "
                    + "rollout guard compares the arms and asks gate-service to roll back when the cohort is worse.")
    @APIResponse(responseCode = "202", description = "The stored sample",
            content = @Content(schema = @Schema(implementation = RolloutSamplesResource.Accepted.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> report(@PathParam("flag") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String flag,
            @Valid @NotNull Sample sample) {
        if (sample.errors() > sample.requests()) {
            throw ProblemException.badRequest("errors", "must not exceed requests");
        }
        return samples.record(caller.id(), flag, sample.arm() == Arm.COHORT, sample.requests(), sample.errors(),
                        sample.p95LatencyMs(), sample.id())
                .map(sampleId -> Response.accepted(new Accepted(flag, sample.arm(), sampleId)).build());
    }
}

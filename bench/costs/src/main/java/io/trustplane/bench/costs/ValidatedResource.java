package io.trustplane.bench.costs;

import jakarta.annotation.security.PermitAll;
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

/**
 * Seed 002's role-gate payload with gate-service's constraints, read with and without Bean Validation: the
 * difference is what validation costs a request (JSON parsing is paid by both).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ValidatedResource {

    /** gate-service's {@code EvaluateRequest}, constraints included. */
    public record EvaluateRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}") String agentId,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{1,64}") String role,
            @Pattern(regexp = "(?i)UNKNOWN|BASIC|VERIFIED|TRUSTED|PRIVILEGED|T[0-4]") String tier,
            @Valid Context context) {
    }

    /** What the agent wants to do with the role. */
    public record Context(@Size(max = 256) String resourceId, @Size(max = 64) String action) {
    }

    /** A small answer, the same for both endpoints. */
    public record Answer(String agentId, String role, String decision) {
    }

    @POST
    @Path("/validated")
    @PermitAll
    public Answer validated(@Valid @NotNull EvaluateRequest request) {
        return new Answer(request.agentId(), request.role(), "ALLOW");
    }

    @POST
    @Path("/unvalidated")
    @PermitAll
    public Answer unvalidated(EvaluateRequest request) {
        return new Answer(request.agentId(), request.role(), "ALLOW");
    }
}

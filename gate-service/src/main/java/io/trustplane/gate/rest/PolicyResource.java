package io.trustplane.gate.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.PolicyFields;
import io.trustplane.gate.domain.PolicyRecord;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.service.PolicyService;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** Admin CRUD on the POLICY layer's rules; changes reach every replica through pub/sub. */
@Tag(name = "policies",
        description = "Policies: the allow/deny/escalate rules the role gate evaluates first.")
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private static final String POLICY_ID = "[A-Za-z0-9-]{1,64}";

    private final PolicyService policies;
    private final Caller caller;

    public PolicyResource(PolicyService policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    /**
     * A rule: matches {@code role} (empty = any), one of {@code tiers} (empty = any), one of {@code actions}
     * (empty = any) and the {@code resourcePattern} glob; higher {@code priority} is evaluated first.
     * {@code expectedVersion} on update makes it conditional (409 when the policy moved on).
     */
    public record PolicyRequest(
            @NotBlank @Size(max = 128) String name,
            @NotNull @Min(-1_000_000) @Max(1_000_000) Integer priority,
            @Pattern(regexp = Ids.NAME, message = Ids.NAME_MESSAGE) String role,
            @Size(max = 5) List<@NotNull @Pattern(regexp = Ids.TIER, message = Ids.TIER_MESSAGE) String> tiers,
            @Size(max = 32) List<@NotBlank @Size(max = 64) String> actions,
            @Size(max = 256) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
            String resourcePattern,
            @NotNull @Pattern(regexp = Ids.DECISION, message = Ids.DECISION_MESSAGE) String effect,
            Boolean enabled,
            @Min(1) Long expectedVersion) {

        PolicyFields fields() {
            return new PolicyFields(name, priority, role, tiers == null ? null : tiers.stream().map(Tier::parse).toList(),
                    actions,
                    resourcePattern == null || resourcePattern.isEmpty() ? "*" : resourcePattern, Decision.valueOf(effect),
                    enabled == null || enabled);
        }
    }

    @Operation(summary = "List policies",
            description = "Every policy, highest priority first.")
    @APIResponse(responseCode = "200", description = "The policies")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<PolicyRecord>> list() {
        return policies.list();
    }

    @Operation(summary = "Get a policy",
            description = "One policy with its version.")
    @APIResponse(responseCode = "200", description = "The policy")
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<PolicyRecord> get(@PathParam("id") @Pattern(regexp = POLICY_ID, message = "must be a policy id") String id) {
        return policies.get(id);
    }

    @Operation(summary = "Create a policy (admin)",
            description = "Adds a rule matching role, tiers, actions and a resource glob, with an effect and a "
                    + "priority.")
    @APIResponse(responseCode = "201", description = "The policy",
            content = @Content(schema = @Schema(implementation = PolicyRecord.class)))
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<RestResponse<PolicyRecord>> create(@Valid @NotNull PolicyRequest request) {
        return policies.create(request.fields(), caller.id())
                .map(p -> RestResponse.status(RestResponse.Status.CREATED, p));
    }

    @Operation(summary = "Update a policy (admin)",
            description = "Replaces the policy; with expectedVersion the update applies only if nobody changed it "
                    + "meanwhile.")
    @APIResponse(responseCode = "200", description = "The updated policy")
    @APIResponse(responseCode = "409",
            description = "`version_mismatch`: the policy changed since expectedVersion")
    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<PolicyRecord> update(@PathParam("id") @Pattern(regexp = POLICY_ID, message = "must be a policy id") String id,
            @Valid @NotNull PolicyRequest request) {
        return policies.update(id, request.fields(), request.expectedVersion(), caller.id());
    }

    @Operation(summary = "Delete a policy (admin)",
            description = "Removes the policy and answers it as it was.")
    @APIResponse(responseCode = "200", description = "The deleted policy")
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<PolicyRecord> delete(@PathParam("id") @Pattern(regexp = POLICY_ID, message = "must be a policy id") String id) {
        return policies.delete(id, caller.id());
    }
}

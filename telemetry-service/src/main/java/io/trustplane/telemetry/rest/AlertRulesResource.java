package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import io.trustplane.common.openapi.ApiText;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.domain.alert.AlertRule;
import io.trustplane.telemetry.service.AlertRuleService;
import io.trustplane.telemetry.domain.alert.RuleKind;
import io.trustplane.telemetry.domain.alert.Severity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code /v1/alert-rules}: operators read; admins create, update, disable and delete (built-in rules stay). */
@Tag(name = "alert rules",
        description = "Alert rules: thresholds on counters over a window, built-in and admin-written.")
@Path("/v1/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AlertRulesResource {

    static final String COUNTER = "[a-z][a-z0-9_.]{0,63}";

    /** A rule as admins write it. */
    public record RuleRequest(
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 1000) String description,
            @NotNull RuleKind kind,
            @NotBlank @Pattern(regexp = COUNTER) String counter,
            @Pattern(regexp = COUNTER) String denominator,
            @NotNull @Min(10) @Max(86_400) Integer windowSeconds,
            @NotNull @DecimalMin("0") Double threshold,
            @Min(1) Long minDenominator,
            @NotNull Severity severity,
            Boolean enabled) {

        AlertRule toRule(String ruleId) {
            if (kind == RuleKind.RATIO && denominator == null) {
                throw ProblemException.unprocessable("invalid_rule", "denominator", "a RATIO rule needs a denominator");
            }
            if (kind == RuleKind.RATIO && threshold > 1) {
                throw ProblemException.unprocessable("invalid_rule", "threshold",
                        "a RATIO threshold is a fraction between 0 and 1");
            }
            return new AlertRule(ruleId, name, description == null ? "" : description, kind, counter,
                    kind == RuleKind.RATIO ? denominator : null, windowSeconds, threshold,
                    minDenominator == null ? 1 : minDenominator, severity, enabled == null || enabled, false, 1);
        }
    }

    private final AlertRuleService rules;

    public AlertRulesResource(AlertRuleService rules) {
        this.rules = rules;
    }

    @Operation(summary = "List alert rules",
            description = "Every rule, built-in and custom, with its counter, threshold, window and severity.")
    @APIResponse(responseCode = "200", description = "The rules")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<AlertRule>> list() {
        return rules.list();
    }

    @Operation(summary = "Get an alert rule",
            description = "One rule.")
    @APIResponse(responseCode = "200", description = "The rule")
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<AlertRule> get(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return rules.find(id).map(o -> o.orElseThrow(() -> ProblemException.notFound("alert rule", id)));
    }

    @Operation(summary = "Create an alert rule (admin)",
            description = "Adds a rule: when the counter over the window crosses the threshold for an agent, an alert "
                    + "of the given severity is raised.")
    @APIResponse(responseCode = "201", description = "The rule",
            content = @Content(schema = @Schema(implementation = AlertRule.class)))
    @APIResponse(responseCode = "409",
            description = "`rule_exists`: a rule with this id exists; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @APIResponse(responseCode = "422",
            description = "`invalid_rule`: the rule's counter, threshold or window is not valid")
    @Idempotent
    @POST
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@Valid @NotNull RuleRequest body) {
        if (body.id() == null) {
            throw ProblemException.badRequest("id", "must not be null");
        }
        return rules.create(body.toRule(body.id())).map(created -> Response.status(201).entity(created).build());
    }

    @Operation(summary = "Update an alert rule (admin)",
            description = "Replaces the rule's definition.")
    @APIResponse(responseCode = "200", description = "The updated rule")
    @APIResponse(responseCode = "422",
            description = "`invalid_rule`: the rule's counter, threshold or window is not valid")
    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<AlertRule> update(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
            @Valid @NotNull RuleRequest body) {
        if (body.id() != null && !body.id().equals(id)) {
            throw ProblemException.unprocessable("invalid_rule", "id", "must match the path");
        }
        return rules.update(body.toRule(id)).map(o -> o.orElseThrow(() -> ProblemException.notFound("alert rule", id)));
    }

    @Operation(summary = "Delete an alert rule (admin)",
            description = "Removes a custom rule; built-in rules can be changed but not removed.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409",
            description = "`builtin_rule`: built-in rules cannot be deleted")
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id) {
        return rules.delete(id).map(v -> Response.noContent().build());
    }
}

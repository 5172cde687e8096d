package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import io.trustplane.common.openapi.ApiText;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.service.AlertService;
import io.trustplane.telemetry.domain.alert.AlertStatus;
import io.trustplane.telemetry.domain.alert.Severity;
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
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/**
 * Alerts: {@code GET /v1/alerts} (filters + keyset pagination, newest first), {@code GET /v1/alerts/{id}} with its
 * history, {@code PATCH /v1/alerts/{id}} to move it through its lifecycle (operators and admins).
 */
@Tag(name = "alerts",
        description = "Alerts raised by the rules and detectors, and their lifecycle (acknowledge, resolve).")
@Path("/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /** A page of alerts; {@code nextCursor} is null on the last page. */
    public record Page(List<Alert> items, String nextCursor) {
    }

    /** The requested move, with the operator's reason. */
    public record Transition(@NotNull AlertStatus status, @NotBlank @Size(max = 1000) String reason) {
    }

    private final AlertService service;
    private final Caller caller;

    public AlertsResource(AlertService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @Operation(summary = "List alerts",
            description = "Alerts newest first, keyset-paged, filtered by status, severity, rule and agent. An agent "
                    + "sees only alerts about itself.")
    @APIResponse(responseCode = "200", description = "A page of alerts")
    @GET
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Page> list(@QueryParam("status") String statusParam, @QueryParam("severity") String severityParam,
            @QueryParam("agentId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId,
            @QueryParam("cursor") @Pattern(regexp = UUID_PATTERN) String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(500) int limit) {
        AlertStatus status = parse(AlertStatus.class, "status", statusParam);
        Severity severity = parse(Severity.class, "severity", severityParam);
        String agent = agentId;
        if (!caller.isPrivileged()) {
            // an agent sees only its own alerts
            if (agent != null) {
                caller.requireActingFor(agent);
            }
            agent = caller.id();
        }
        return service.list(status, severity, agent, cursor == null ? null : UUID.fromString(cursor), limit)
                .map(items -> new Page(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
    }

    @Operation(summary = "Get an alert",
            description = "One alert with its rule, agent, severity, status and evidence.")
    @APIResponse(responseCode = "200", description = "The alert")
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Alert> get(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        return service.find(UUID.fromString(id)).map(found -> {
            Alert a = found.orElseThrow(() -> ProblemException.notFound("alert", id));
            if (!caller.isPrivileged() && !caller.id().equals(a.agentId())) {
                throw ProblemException.notFound("alert", id);
            }
            return a;
        });
    }

    @Operation(summary = "Acknowledge or resolve an alert (operator)",
            description = "Moves the alert to another status (OPEN to ACKNOWLEDGED to RESOLVED) with the operator's "
                    + "reason.")
    @APIResponse(responseCode = "200", description = "The alert after the move")
    @APIResponse(responseCode = "409",
            description = "`invalid_transition`: the alert cannot move from its status to that one; "
                    + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<Alert> move(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id,
            @Valid @NotNull Transition body) {
        // a move back to ACTIVE is refused by the lifecycle like any other illegal move: 409 invalid_transition
        return service.transition(UUID.fromString(id), body.status(), caller.id(), body.reason());
    }

    /** Unknown enum values in a query are a 400 naming the parameter (JAX-RS would answer 404). */
    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}

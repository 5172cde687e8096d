package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import io.trustplane.common.openapi.ApiText;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.alert.Silence;
import io.trustplane.telemetry.service.SilenceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Silences: operators and admins create them ({@code POST /v1/silences}) and end them early
 * ({@code DELETE /v1/silences/{id}}); readers list them with their state. Every change is audited and anchored.
 */
@Tag(name = "silences",
        description = "Silences: hold back notifications for an agent or severity for a while.")
@Path("/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SilencesResource {

    /** A new silence: matchers (at least one), the operator's comment, and when it starts (default now) and ends. */
    public record CreateSilence(
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String kind,
            @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId,
            @Pattern(regexp = "LOW|MEDIUM|HIGH|CRITICAL", message = "must be one of LOW, MEDIUM, HIGH, CRITICAL") String severity,
            @NotBlank @Size(max = 1000) String comment,
            @Size(max = 64) String startsAt,
            @NotNull @Size(max = 64) String endsAt) {
    }

    /** A silence as the API shows it, with its state now. */
    public record SilenceView(String id, String kind, String agentId, Severity severity, String createdBy,
            String comment, Instant startsAt, Instant endsAt, String state, Instant createdAt, Instant updatedAt) {

        static SilenceView of(Silence s) {
            return new SilenceView(s.id(), s.kind(), s.agentId(), s.severity(), s.createdBy(), s.comment(),
                    s.startsAt(), s.endsAt(), s.state(Instant.now()), s.createdAt(), s.updatedAt());
        }
    }

    /** {@code GET /v1/silences/{id}}: the silence and its history (created, expired, each with who and when). */
    public record SilenceDetail(SilenceView silence, List<Silence.HistoryEntry> history) {
    }

    private final SilenceService service;
    private final Caller caller;

    public SilencesResource(SilenceService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @Operation(summary = "Create a silence (operator)",
            description = "Holds back notifications of alerts matching the agent and/or severity until the silence "
                    + "ends; alerts are still raised and listed.")
    @APIResponse(responseCode = "201", description = "The silence",
            content = @Content(schema = @Schema(implementation = SilenceView.class)))
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @APIResponse(responseCode = "422",
            description = "`invalid_silence`: the silence matches nothing or its end is not in the future")
    @Idempotent
    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> create(@Valid @NotNull CreateSilence body) {
        return service.create(body.kind(), body.agentId(), body.severity() == null ? null : Severity.valueOf(body.severity()),
                        body.comment(), instant("startsAt", body.startsAt()), instant("endsAt", body.endsAt()), caller.id())
                .map(s -> Response.status(201).entity(SilenceView.of(s)).build());
    }

    @Operation(summary = "List silences",
            description = "Silences, filtered by state (active, expired).")
    @APIResponse(responseCode = "200", description = "The silences")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<List<SilenceView>> list(@QueryParam("state")
            @Pattern(regexp = "current|all", message = "must be current or all") String state) {
        return service.list("all".equals(state)).map(l -> l.stream().map(SilenceView::of).toList());
    }

    @Operation(summary = "Get a silence",
            description = "One silence with its history.")
    @APIResponse(responseCode = "200", description = "The silence and its history",
            content = @Content(schema = @Schema(implementation = SilenceDetail.class)))
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<SilenceDetail> get(@PathParam("id") String id) {
        return service.detail(uuid(id)).map(d -> new SilenceDetail(SilenceView.of(d.silence()), d.history()));
    }

    @Operation(summary = "End a silence now (operator)",
            description = "Expires the silence so matching notifications are sent again.")
    @APIResponse(responseCode = "200", description = "The expired silence")
    @APIResponse(responseCode = "409",
            description = "`silence_expired`: the silence already ended")
    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<SilenceView> expire(@PathParam("id") String id) {
        return service.expire(uuid(id), caller.id()).map(SilenceView::of);
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z");
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("id", "must be a UUID");
        }
    }
}

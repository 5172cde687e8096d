package io.trustplane.lease.rest;

import io.trustplane.common.openapi.ApiText;
import io.trustplane.common.validation.Ids;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.lease.config.LeaseConfig;
import io.trustplane.lease.events.LeaseNotice;
import io.trustplane.lease.events.LeaseNotifier;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.FencingVerdict;
import io.trustplane.lease.service.LeaseService;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.rest.LeaseRequests.Acquire;
import io.trustplane.lease.rest.LeaseRequests.FencingCheck;
import io.trustplane.lease.rest.LeaseRequests.ForceRelease;
import io.trustplane.lease.rest.LeaseRequests.ForceReleaseHolder;
import io.trustplane.lease.rest.LeaseRequests.LiftHolder;
import io.trustplane.lease.rest.LeaseRequests.Renew;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Leases on (taskId, phase) keys with fencing tokens, and their lease-lost/expired notifications. */
@Tag(name = "leases",
        description = "Fenced leases on a (task, phase): acquire, renew, release, check a fencing token, and hear "
                + "when a lease is lost.")
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LeaseResource {

    private final LeaseService leases;
    private final LeaseNotifier notifier;
    private final LeaseConfig config;
    private final Caller caller;

    public LeaseResource(LeaseService leases, LeaseNotifier notifier, LeaseConfig config, Caller caller) {
        this.leases = leases;
        this.notifier = notifier;
        this.config = config;
        this.caller = caller;
    }

    private Actor actor() {
        return Actors.of(caller);
    }

    @Operation(summary = "Acquire a lease on a task phase",
            description = "Takes the lease on (taskId, phase) for ttlSeconds (the service default when absent) and "
                    + "returns it with a fencing token that is higher than any token issued before on that key. Every "
                    + "write the holder makes afterwards carries this token; an older token is refused. Send an "
                    + "Idempotency-Key to make a retry safe.")
    @APIResponse(responseCode = "201", description = "The lease, with its fencing token and expiry",
            content = @Content(schema = @Schema(implementation = LeaseView.class)))
    @APIResponse(responseCode = "409",
            description = "`lease_held`: another agent holds a live lease on this key (the problem carries `holder` "
                    + "and `expiresInMs`); `holder_contained`: an operator contained the agent, it may take no lease "
                    + "until the containment is lifted; " + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent(Idempotent.Store.TRANSACTION)
    @POST
    @Path("/leases")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> acquire(@Valid @NotNull Acquire body) {
        return leases.acquire(actor(), body.taskId(), body.phase(), body.ttlSeconds())
                .map(l -> Response.status(201).entity(LeaseView.of(l)).build());
    }

    @Operation(summary = "Renew a lease",
            description = "Extends the caller's live lease by ttlSeconds (or the default), up to the configured "
                    + "number of renewals. The fencing token does not change.")
    @APIResponse(responseCode = "200", description = "The renewed lease")
    @APIResponse(responseCode = "403",
            description = "`forbidden`: the caller's role does not allow this route, or an agent names another agent; "
                    + "`not_lease_holder`: the lease is held by another agent")
    @APIResponse(responseCode = "409",
            description = "`lease_expired`: the lease lapsed before the renewal; `renewal_limit_reached`: no renewals "
                    + "are left, acquire a new lease; `lease_not_active`: the lease was released or force-released; "
                    + ApiText.IDEMPOTENCY_CONFLICTS)
    @Idempotent
    @POST
    @Path("/leases/{leaseId}/renew")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<LeaseView> renew(@PathParam("leaseId") String leaseId, @Valid Renew body) {
        return leases.renew(actor(), leaseId, body == null ? null : body.ttlSeconds()).map(LeaseView::of);
    }

    @Operation(summary = "Release a lease",
            description = "Ends the caller's lease now so another agent can acquire the key.")
    @APIResponse(responseCode = "200", description = "The released lease")
    @APIResponse(responseCode = "403",
            description = "`forbidden`: the caller's role does not allow this route, or an agent names another agent; "
                    + "`not_lease_holder`: the lease is held by another agent")
    @APIResponse(responseCode = "409",
            description = "`lease_not_active`: the lease already ended")
    @DELETE
    @Path("/leases/{leaseId}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<LeaseView> release(@PathParam("leaseId") String leaseId) {
        return leases.release(actor(), leaseId).map(LeaseView::of);
    }

    @Operation(summary = "Force-release a lease (operator)",
            description = "An operator ends another agent's lease, with a reason that is recorded. The holder hears "
                    + "`lease.lost` on its event stream and its fencing token is refused from then on.")
    @APIResponse(responseCode = "200", description = "The force-released lease")
    @APIResponse(responseCode = "409",
            description = "`lease_not_active`: the lease already ended")
    @Idempotent
    @POST
    @Path("/leases/{leaseId}/force-release")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<LeaseView> forceRelease(@PathParam("leaseId") String leaseId, @Valid @NotNull ForceRelease body) {
        return leases.forceRelease(actor(), leaseId, body.reason()).map(LeaseView::of);
    }

    /** What {@code force-release-holder} did: the leases it ended, empty when the holder held none. */
    public record HolderReleased(String holder, java.util.List<LeaseView> released) {
    }

    /**
     * Ends every active lease of one holder (gate-service contains an agent through this): their fencing tokens
     * stop being current, so a downstream write guarded by {@code fencing/check} is refused.
     */
    @POST
    @Path("/leases/force-release-holder")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Force-release every active lease of one holder", description = "Each lease ends "
            + "FORCE_RELEASED with a ledger entry on its task and a lease.lost notice to its holder; none held is an "
            + "empty list. With `contain: true` (gate-service's containment of an agent) the holder is also named "
            + "contained in the same transaction: it may take no new lease (409 `holder_contained`) until "
            + "`POST /v1/leases/lift-holder`.")
    @APIResponse(responseCode = "200", description = "The leases ended (possibly none)")
    public Uni<HolderReleased> forceReleaseHolder(@Valid @NotNull ForceReleaseHolder body) {
        return leases.forceReleaseHolder(actor(), body.holder(), body.reason(), Boolean.TRUE.equals(body.contain()))
                .map(all -> new HolderReleased(body.holder(), all.stream().map(LeaseView::of).toList()));
    }

    /** Whether a holder's containment was lifted by this call. */
    public record HolderLifted(String holder, boolean lifted) {
    }

    /** Lets a contained holder take leases again (gate-service calls this when an agent's containment is lifted). */
    @POST
    @Path("/leases/lift-holder")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Lift a holder's containment", description = "The holder may acquire leases again; "
            + "`lifted` is false when it was not contained. The leases released when it was contained stay ended.")
    @APIResponse(responseCode = "200", description = "Whether the holder was contained until now")
    public Uni<HolderLifted> liftHolder(@Valid @NotNull LiftHolder body) {
        return leases.liftHolder(actor(), body.holder()).map(lifted -> new HolderLifted(body.holder(), lifted));
    }

    @Operation(summary = "Get a lease",
            description = "One lease with its holder, fencing token, expiry and status. An agent sees only its own "
                    + "leases.")
    @APIResponse(responseCode = "200", description = "The lease")
    @APIResponse(responseCode = "403",
            description = "`forbidden`: the caller's role does not allow this route; `not_lease_holder`: the lease "
                    + "is another agent's")
    @GET
    @Path("/leases/{leaseId}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<LeaseView> get(@PathParam("leaseId") String leaseId) {
        return leases.find(actor(), leaseId).map(LeaseView::of);
    }

    /**
     * Live leases in acquisition order; agents see only their own, operators all. The body stays the array it always
     * was; when more remain, the next page's cursor is in {@code X-Next-Cursor} and a {@code Link: rel="next"}.
     */
    @Operation(summary = "List live leases",
            description = "Live leases in acquisition order, keyset-paged: the body is an array; when more remain, "
                    + "the `X-Next-Cursor` header and `Link: rel=next` give the next page. Agents see only their own "
                    + "leases, operators all.")
    @APIResponse(responseCode = "200", description = "A page of leases",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = LeaseView.class)))
    @GET
    @Path("/leases")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<Response> query(
            @QueryParam("taskId") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @QueryParam("phase") String phase,
            @QueryParam("holder") @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String holder,
            @QueryParam("cursor") @Size(max = 256) String cursor,
            @QueryParam("limit") String limit,
            @Context UriInfo uri) {
        Phase p = phase == null ? null : Phase.parse("phase", phase);
        return leases.query(actor(), taskId, p, holder, cursor, limit).map(page -> {
            Response.ResponseBuilder r = Response.ok(page.items().stream().map(LeaseView::of).toList());
            if (page.nextCursor() != null) {
                r.header("X-Next-Cursor", page.nextCursor()).link(uri.getRequestUriBuilder()
                        .replaceQueryParam("cursor", page.nextCursor()).build(), "next");
            }
            return r.build();
        });
    }

    /** Server-Sent Events of lease.expired / lease.lost: an agent's own leases, or all for operators. */
    @Operation(summary = "Stream lease notifications",
            description = "Server-Sent Events of `lease.expired` and `lease.lost`: an agent hears about its own "
                    + "leases, operators about all. Keep it open to learn at once that a lease is gone.")
    @APIResponse(responseCode = "200", description = "An event stream of lease notices",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(implementation = LeaseNotice.class)))
    @GET
    @Path("/leases/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Multi<LeaseNotice> events() {
        Actor a = actor();
        Multi<LeaseNotice> heartbeat = Multi.createFrom().ticks().every(config.sseHeartbeat())
                .map(t -> LeaseNotice.heartbeat());
        return Multi.createBy().merging().streams(Multi.createFrom().item(LeaseNotice.subscribed(a.id())),
                notifier.stream(a.id(), a.privileged()), heartbeat);
    }

    @Operation(summary = "Check a fencing token",
            description = "Says whether the fencing token is the one of the live lease on (taskId, phase), with the "
                    + "latest token issued and the current holder. A downstream system calls it before accepting a "
                    + "write.")
    @APIResponse(responseCode = "200", description = "Whether the token is current",
            content = @Content(schema = @Schema(implementation = FencingVerdict.class)))
    @POST
    @Path("/fencing/check")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<FencingVerdict> fencingCheck(@Valid @NotNull FencingCheck body) {
        return leases.fencingCheck(body.taskId(), body.phase(), body.fencingToken());
    }
}

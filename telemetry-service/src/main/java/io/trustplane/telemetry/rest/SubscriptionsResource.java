package io.trustplane.telemetry.rest;

import io.trustplane.common.openapi.ApiText;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.service.SubscriptionService;
import io.trustplane.telemetry.domain.notification.Delivery;
import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.notification.Subscription;
import io.trustplane.telemetry.domain.notification.SubscriptionKind;
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
import jakarta.ws.rs.DefaultValue;
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

import java.util.List;

/**
 * {@code /v1/subscriptions} (admin): notification targets filtered by event type and minimum severity, their
 * delivery log, re-enabling after automatic disablement, and a test send. Secrets are write-only.
 */
@Tag(name = "notifications",
        description = "Notification subscriptions: webhooks that receive alerts, with a delivery log.")
@Path("/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class SubscriptionsResource {

    static final String UUID_PATTERN = AlertsResource.UUID_PATTERN;

    /** A new subscription. WEBHOOK needs {@code secret} (HMAC key); PAGERDUTY's secret is its routing key. */
    public record SubscriptionRequest(
            @NotBlank @Size(max = 200) String name,
            @NotNull SubscriptionKind kind,
            @Size(max = 2000) String url,
            @Size(min = 16, max = 256) String secret,
            @Size(max = 32) List<@NotBlank @Pattern(regexp = "\\*|[a-z_]+(\\.[a-z_*]+)*") String> eventTypes,
            Severity minSeverity) {
    }

    /** A page of the delivery log. */
    public record DeliveryPage(List<Delivery> items, Long nextCursor) {
    }

    private final SubscriptionService subscriptions;
    private final Caller caller;

    public SubscriptionsResource(SubscriptionService subscriptions, Caller caller) {
        this.subscriptions = subscriptions;
        this.caller = caller;
    }

    @Operation(summary = "Subscribe a webhook (admin)",
            description = "Registers a webhook URL for alerts of a minimum severity; deliveries are signed and "
                    + "retried. URLs that reach private or loopback addresses are refused.")
    @APIResponse(responseCode = "201", description = "The subscription",
            content = @Content(schema = @Schema(implementation = Subscription.View.class)))
    @APIResponse(responseCode = "409",
            description = ApiText.IDEMPOTENCY_CONFLICTS)
    @APIResponse(responseCode = "422",
            description = "`url_not_allowed`: the URL is not https, or resolves to a private, loopback or link-local "
                    + "address")
    @Idempotent
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@Valid @NotNull SubscriptionRequest body) {
        return subscriptions.create(body.name(), body.kind(), body.url(), body.secret(), body.eventTypes(),
                        body.minSeverity())
                .map(s -> Response.status(201).entity(s.view()).build());
    }

    @Operation(summary = "List subscriptions (admin)",
            description = "Every subscription with its state and failure streak.")
    @APIResponse(responseCode = "200", description = "The subscriptions")
    @GET
    public Uni<List<Subscription.View>> list() {
        return subscriptions.list().map(all -> all.stream().map(Subscription::view).toList());
    }

    @Operation(summary = "Get a subscription (admin)",
            description = "One subscription.")
    @APIResponse(responseCode = "200", description = "The subscription")
    @GET
    @Path("/{id}")
    public Uni<Subscription.View> get(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        return subscriptions.get(id).map(Subscription::view);
    }

    @Operation(summary = "Delete a subscription (admin)",
            description = "Stops deliveries to the webhook and removes it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        return subscriptions.delete(id).map(v -> Response.noContent().build());
    }

    /** Re-enables a subscription disabled after consecutive failures, clearing its streak and circuit. */
    @Operation(summary = "Re-enable a subscription (admin)",
            description = "Re-enables a subscription disabled after consecutive failures, clearing its failure streak "
                    + "and circuit.")
    @APIResponse(responseCode = "200", description = "The subscription")
    @POST
    @Path("/{id}/enable")
    public Uni<Subscription.View> enable(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        return subscriptions.enable(id).map(Subscription::view);
    }

    @Operation(summary = "A subscription's delivery log (admin)",
            description = "Deliveries newest first, keyset-paged, with status and attempts.")
    @APIResponse(responseCode = "200", description = "A page of deliveries")
    @GET
    @Path("/{id}/deliveries")
    public Uni<DeliveryPage> deliveries(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id,
            @QueryParam("cursor") @Min(1) Long cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return subscriptions.deliveries(id, cursor, limit)
                .map(items -> new DeliveryPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null));
    }

    /** Sends a {@code notification.test} event now and returns the logged delivery (counts like any delivery). */
    @Operation(summary = "Send a test notification (admin)",
            description = "Sends a `notification.test` event now and returns the logged delivery.")
    @APIResponse(responseCode = "200", description = "The delivery")
    @APIResponse(responseCode = "409",
            description = "`subscription_disabled`: re-enable the subscription first")
    @POST
    @Path("/{id}/test")
    public Uni<Delivery> test(@PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        return subscriptions.test(id, caller.id());
    }
}

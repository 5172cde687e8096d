package io.trustplane.gate.rest;

import io.trustplane.common.security.Roles;
import io.trustplane.gate.events.BatchedEvents;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/stats}: this replica's figures of the droppable decision events (role_gate.allowed,
 * ceiling.warning): produced = delivered + dropped + pending, dropped being what arrived while the buffer was full.
 */
@Tag(name = "stats",
        description = "Operational figures of gate-service.")
@Path("/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    /** The answer: the decision-event buffer's figures. */
    public record Stats(BatchedEvents.Figures decisionEvents) {
    }

    private final BatchedEvents events;

    public StatsResource(BatchedEvents events) {
        this.events = events;
    }

    @Operation(summary = "gate-service figures",
            description = "The decision-event buffer's figures: events buffered, flushed and dropped.")
    @APIResponse(responseCode = "200", description = "The figures")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Stats stats() {
        return new Stats(events.figures());
    }
}

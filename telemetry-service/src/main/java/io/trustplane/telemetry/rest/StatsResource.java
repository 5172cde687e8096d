package io.trustplane.telemetry.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.health.SuiteHealthService;
import io.trustplane.telemetry.service.StatsService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /v1/stats} (cached dashboard figures) and {@code GET /v1/health/suite} (every service's health). */
@Tag(name = "stats",
        description = "Operational figures: dashboard totals and the suite's health.")
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final StatsService stats;
    private final SuiteHealthService health;

    public StatsResource(StatsService stats, SuiteHealthService health) {
        this.stats = stats;
        this.health = health;
    }

    @Operation(summary = "Dashboard figures",
            description = "The cached totals the dashboard shows: agents, alerts by status, ingest rates.")
    @APIResponse(responseCode = "200", description = "The figures")
    @GET
    @Path("/stats")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<StatsService.Stats> stats() {
        return stats.stats();
    }

    @Operation(summary = "Health of every service",
            description = "What telemetry-service last saw of each service's health endpoint.")
    @APIResponse(responseCode = "200", description = "Each service's health")
    @GET
    @Path("/health/suite")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public SuiteHealthService.Suite suite() {
        return health.suite();
    }
}

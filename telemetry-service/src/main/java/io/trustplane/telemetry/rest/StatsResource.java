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

/** {@code GET /v1/stats} (cached dashboard figures) and {@code GET /v1/health/suite} (every service's health). */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final StatsService stats;
    private final SuiteHealthService health;

    public StatsResource(StatsService stats, SuiteHealthService health) {
        this.stats = stats;
        this.health = health;
    }

    @GET
    @Path("/stats")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<StatsService.Stats> stats() {
        return stats.stats();
    }

    @GET
    @Path("/health/suite")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public SuiteHealthService.Suite suite() {
        return health.suite();
    }
}

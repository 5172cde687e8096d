package io.trustplane.telemetry.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A Trustplane service's SmallRye Health readiness route. One client per service URL, built by {@link ReadinessProbe}
 * (the suite's four base URLs share this one interface); any status is an answer, not an exception.
 */
@Path("/q/health/ready")
public interface ReadinessClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> ready();
}

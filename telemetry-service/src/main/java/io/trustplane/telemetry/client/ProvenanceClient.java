package io.trustplane.telemetry.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * provenance-service as telemetry calls it: the signed checkpoint ({@code GET /v1/log/checkpoint}, a C2SP note whose
 * second line is the tree size) for the stats' log size ({@code quarkus.rest-client.provenance.*}: the URL is
 * {@code trustplane.services.provenance}). Not retried: the stats fall back to the last event at once.
 */
@RegisterRestClient(configKey = "provenance")
@RegisterProvider(ServiceTokenFilter.class)
public interface ProvenanceClient {

    @GET
    @Path("/v1/log/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30_000)
    Uni<String> checkpoint();
}

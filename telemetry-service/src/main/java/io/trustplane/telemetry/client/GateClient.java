package io.trustplane.telemetry.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * gate-service as telemetry calls it: {@code POST /v1/flags/{flag}/rollback} with the service token
 * ({@code quarkus.rest-client.gate.*}: the URL is {@code trustplane.services.gate}). The fault-tolerance values are
 * overridable ({@code io.trustplane.telemetry.client.GateClient/rollback/Retry/maxRetries} etc.). A non-2xx answer
 * is an exception (the caller treats 409, already rolled back or finished, as done).
 */
@RegisterRestClient(configKey = "gate")
@RegisterProvider(ServiceTokenFilter.class)
@RegisterProvider(GateClient.Errors.class)
@Path("/v1/flags")
public interface GateClient {

    /** The body of a rollback: who asks, and why. */
    record Rollback(String trigger, String reason) {
    }

    @POST
    @Path("/{flag}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30_000)
    @Timeout(5_000)
    void rollback(@PathParam("flag") String flag, Rollback body);

    /**
     * Every answer but a 2xx or a 409 (the flag is already rolled back or finished: done) is a failure, retried and
     * counted by the circuit breaker. Replaces the default mapper ({@code quarkus.rest-client.gate.disable-default-mapper}).
     */
    class Errors implements ResponseExceptionMapper<WebApplicationException> {

        @Override
        public boolean handles(int status, MultivaluedMap<String, Object> headers) {
            return status / 100 != 2 && status != 409;
        }

        @Override
        public WebApplicationException toThrowable(Response response) {
            return new WebApplicationException("gate-service answered HTTP " + response.getStatus(), response.getStatus());
        }
    }
}

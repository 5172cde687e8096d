package io.trustplane.gate.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/**
 * lease-service's holder routes gate-service calls during a containment, as a REST client (URL and timeouts under
 * {@code quarkus.rest-client.lease-service.*}, the service token added by {@link ServiceTokenHeaders}).
 */
@RegisterRestClient(configKey = "lease-service")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/v1/leases")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface LeaseServiceApi {

    /** Force-releases every active lease of {@code holder} and, with {@code contain}, refuses it new ones. */
    @POST
    @Path("/force-release-holder")
    Uni<Released> forceReleaseHolder(ForceRelease request);

    /** Lets a contained holder take leases again. */
    @POST
    @Path("/lift-holder")
    Uni<Lifted> liftHolder(Holder request);

    /** Any answer but a success is a failure naming lease-service's status. */
    @ClientExceptionMapper
    static RuntimeException failure(Response response) {
        return new IllegalStateException("lease-service answered HTTP " + response.getStatus());
    }

    /** {@code POST /v1/leases/force-release-holder}'s body. */
    record ForceRelease(String holder, String reason, boolean contain) {
    }

    /** {@code POST /v1/leases/lift-holder}'s body. */
    record Holder(String holder) {
    }

    /** One lease lease-service ended. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReleasedLease(String leaseId, String taskId, String phase, long fencingToken) {
    }

    /** lease-service's answer to a force-release. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Released(String holder, List<ReleasedLease> released) {
    }

    /** lease-service's answer to a lift. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Lifted(String holder, boolean lifted) {
    }
}

package io.trustplane.gate.client;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.config.ServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Provider;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.List;

/**
 * Asks lease-service, with the service token, to force-release every active lease of one holder
 * ({@code POST /v1/leases/force-release-holder}) and to lift that again; fails with a message saying why when
 * lease-service is not configured, does not answer or refuses, so a containment can record the step as failed and be
 * retried.
 */
@ApplicationScoped
public class LeaseClient {

    private final Provider<LeaseServiceApi> api;
    private final boolean configured;

    public LeaseClient(@RestClient Provider<LeaseServiceApi> api, ServicesConfig services, ServiceTokenHeaders token) {
        this.api = api;
        // the REST client is made only when it has a URL to call: unconfigured, nothing is built or called
        this.configured = services.lease().filter(s -> !s.isBlank()).isPresent() && token.configured();
    }

    /**
     * Lets a contained holder take leases again ({@code POST /v1/leases/lift-holder}); a failure says why
     * lease-service did not.
     */
    public Uni<Boolean> liftHolder(String holder) {
        if (!configured) {
            return notConfigured();
        }
        return Uni.createFrom().deferred(() -> api.get().liftHolder(new LeaseServiceApi.Holder(holder)))
                .map(LeaseServiceApi.Lifted::lifted);
    }

    /** The ids of the leases released, or a failure whose message says why there are none. */
    public Uni<List<String>> forceReleaseHolder(String holder, String reason) {
        if (!configured) {
            return notConfigured();
        }
        return Uni.createFrom().deferred(() -> api.get().forceReleaseHolder(
                        new LeaseServiceApi.ForceRelease(holder, reason, true)))
                .map(r -> r.released() == null ? List.<String>of()
                        : r.released().stream().map(LeaseServiceApi.ReleasedLease::leaseId).toList());
    }

    private static <T> Uni<T> notConfigured() {
        return Uni.createFrom().failure(new IOException("lease-service is not configured "
                + "(trustplane.services.lease and trustplane.service-token)"));
    }
}

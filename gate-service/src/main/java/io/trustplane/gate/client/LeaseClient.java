package io.trustplane.gate.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks lease-service, with the service token, to force-release every active lease of one holder
 * ({@code POST /v1/leases/force-release-holder}); fails with a message saying why when lease-service is not
 * configured, does not answer or refuses, so a containment can record the step as failed and be retried.
 */
@ApplicationScoped
public class LeaseClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One lease lease-service ended. */
    public record ReleasedLease(String leaseId, String taskId, String phase, long fencingToken) {
    }

    /** lease-service's answer. */
    public record Released(String holder, List<ReleasedLease> released) {
    }

    private final Optional<String> baseUrl;
    private final Optional<String> serviceToken;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LeaseClient(@ConfigProperty(name = "trustplane.services.lease") Optional<String> baseUrl,
            @ConfigProperty(name = "trustplane.service-token") Optional<String> serviceToken, ObjectMapper mapper) {
        this.baseUrl = baseUrl.filter(s -> !s.isBlank());
        this.serviceToken = serviceToken.filter(s -> !s.isBlank());
        this.mapper = mapper.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /**
     * Lets a contained holder take leases again ({@code POST /v1/leases/lift-holder}); a failure says why
     * lease-service did not.
     */
    public Uni<Boolean> liftHolder(String holder) {
        if (baseUrl.isEmpty() || serviceToken.isEmpty()) {
            return Uni.createFrom().failure(new IOException("lease-service is not configured "
                    + "(trustplane.services.lease and trustplane.service-token)"));
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v1/leases/lift-holder"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + serviceToken.get())
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(Map.of("holder", holder))))
                    .build();
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("lease-service answered HTTP " + response.statusCode());
                    }
                    return response.body().contains("\"lifted\":true");
                });
    }

    /** The ids of the leases released, or a failure whose message says why there are none. */
    public Uni<List<String>> forceReleaseHolder(String holder, String reason) {
        if (baseUrl.isEmpty() || serviceToken.isEmpty()) {
            return Uni.createFrom().failure(new IOException("lease-service is not configured "
                    + "(trustplane.services.lease and trustplane.service-token)"));
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v1/leases/force-release-holder"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + serviceToken.get())
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(
                            Map.of("holder", holder, "reason", reason, "contain", true))))
                    .build();
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("lease-service answered HTTP " + response.statusCode());
                    }
                    try {
                        return mapper.readValue(response.body(), Released.class).released().stream()
                                .map(ReleasedLease::leaseId).toList();
                    } catch (IOException e) {
                        throw new IllegalStateException("lease-service's answer could not be read: " + e.getMessage());
                    }
                });
    }
}

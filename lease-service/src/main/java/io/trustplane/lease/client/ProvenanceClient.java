package io.trustplane.lease.client;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.trustplane.lease.config.LeaseConfig;
import io.trustplane.lease.config.ServiceToken;
import io.trustplane.lease.config.ServicesConfig;
import io.trustplane.lease.domain.LedgerAnchor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks provenance-service, with the service token, which of a task's ledger entries its log anchors
 * ({@code GET /v1/anchors/ledger/{taskId}}); empty when provenance-service is not configured or does not answer
 * (a verify then reports the chain alone: fail-open, as the anchors are a second opinion).
 */
@ApplicationScoped
public class ProvenanceClient {

    /** Absent when no provenance URL or no service token is configured. */
    private final Optional<ProvenanceApi> api;

    public ProvenanceClient(ServicesConfig services, ServiceToken serviceToken, LeaseConfig config) {
        Optional<String> baseUrl = services.provenance().filter(s -> !s.isBlank());
        Optional<String> token = serviceToken.value();
        if (baseUrl.isEmpty() || token.isEmpty()) {
            this.api = Optional.empty();
            return;
        }
        String bearer = "Bearer " + token.get();
        this.api = Optional.of(QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl.get()))
                .connectTimeout(config.provenance().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.provenance().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .register((ClientRequestFilter) request -> request.getHeaders()
                        .putSingle(HttpHeaders.AUTHORIZATION, bearer))
                .build(ProvenanceApi.class));
    }

    /** The task's anchors, or empty when provenance-service is not configured, answers other than 200, or fails. */
    public Uni<Optional<List<LedgerAnchor>>> ledgerAnchors(String taskId) {
        if (api.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return api.get().ledgerAnchors(taskId).map(Optional::of)
                .onFailure().recoverWithItem(Optional.empty());
    }
}

package io.trustplane.lease.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks provenance-service, with the service token, which of a task's ledger entries its log anchors
 * ({@code GET /v1/anchors/ledger/{taskId}}); empty when provenance-service is not configured or does not answer.
 */
@ApplicationScoped
public class ProvenanceClient {

    /** One anchor as the signed leaf states it. */
    public record LedgerAnchor(long seq, String hash, String submitter) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TypeReference<List<LedgerAnchor>> ANCHORS = new TypeReference<>() {
    };

    private final Optional<String> baseUrl;
    private final Optional<String> serviceToken;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ProvenanceClient(@ConfigProperty(name = "trustplane.services.provenance") Optional<String> baseUrl,
            @ConfigProperty(name = "trustplane.service-token") Optional<String> serviceToken, ObjectMapper mapper) {
        this.baseUrl = baseUrl.filter(s -> !s.isBlank());
        this.serviceToken = serviceToken.filter(s -> !s.isBlank());
        this.mapper = mapper;
    }

    public Uni<Optional<List<LedgerAnchor>>> ledgerAnchors(String taskId) {
        if (baseUrl.isEmpty() || serviceToken.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v1/anchors/ledger/"
                        + URLEncoder.encode(taskId, StandardCharsets.UTF_8)))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + serviceToken.get())
                .header("Accept", "application/json").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        return Optional.<List<LedgerAnchor>>empty();
                    }
                    try {
                        return Optional.of(mapper.copy()
                                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                                .readValue(response.body(), ANCHORS));
                    } catch (java.io.IOException e) {
                        return Optional.<List<LedgerAnchor>>empty();
                    }
                })
                .onFailure().recoverWithItem(Optional.empty());
    }
}

package io.trustplane.telemetry.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.telemetry.config.ServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Calls gate-service's {@code POST /v1/flags/{flag}/rollback} with the service token, guarded by SmallRye Fault
 * Tolerance (values overridable via {@code io.trustplane.telemetry.client.GateClient/rollback/Retry/maxRetries} etc.).
 */
@ApplicationScoped
public class GateClient {

    private final ServicesConfig services;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public GateClient(ServicesConfig services, ObjectMapper mapper) {
        this.services = services;
        this.mapper = mapper;
    }

    /** A 409 (already rolled back or finished) counts as done. */
    @Retry(maxRetries = 2, delay = 200)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30_000)
    @Timeout(5_000)
    public void rollback(String flag, String reason, String serviceToken) throws IOException, InterruptedException {
        String body = mapper.writeValueAsString(Map.of("trigger", "telemetry-rollout-guard", "reason", reason));
        HttpRequest request = HttpRequest.newBuilder(URI.create(services.gate() + "/v1/flags/"
                        + URLEncoder.encode(flag, StandardCharsets.UTF_8) + "/rollback"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + serviceToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
            throw new IOException("gate-service answered HTTP " + response.statusCode());
        }
    }
}

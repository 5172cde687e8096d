package io.trustplane.telemetry.client;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.config.TelemetryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks one service's {@code /q/health/ready} (connect and read timeout {@code suite-health.timeout}, no retry: a poll
 * is a poll) and answers its status and body, whatever the status.
 */
@ApplicationScoped
public class ReadinessProbe {

    /** What the service answered. */
    public record Answer(int status, String body) {
    }

    private final Duration timeout;
    private final Map<String, ReadinessClient> clients = new ConcurrentHashMap<>();

    public ReadinessProbe(TelemetryConfig config) {
        this.timeout = config.suiteHealth().timeout();
    }

    /** Fails with {@link IllegalArgumentException} at once when {@code baseUrl} is not a URL. */
    public Uni<Answer> ready(String baseUrl) {
        ReadinessClient client = clients.computeIfAbsent(baseUrl, this::build);
        return client.ready().map(r -> {
            try (r) {
                return new Answer(r.getStatus(), r.hasEntity() ? r.readEntity(String.class) : "");
            }
        });
    }

    private ReadinessClient build(String baseUrl) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(baseUrl))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true)
                .build(ReadinessClient.class);
    }
}

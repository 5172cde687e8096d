package io.trustplane.telemetry.dashboard;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one dashboard request on to lease, provenance or gate-service (JDK HttpClient, no redirects followed)
 * under a SmallRye Fault Tolerance timeout ({@code io.trustplane.telemetry.dashboard.UpstreamClient/send/Timeout/value}).
 * Nothing is retried: a rollback is not safe to repeat blindly. A low-level client rather than a Quarkus REST client
 * interface: the proxy forwards allow-listed but otherwise arbitrary paths, query strings, methods and bodies to three
 * services and hands back raw bytes and selected headers, which a typed interface cannot express.
 */
@ApplicationScoped
public class UpstreamClient {

    /** What came back: status, the headers the dashboard may see, body bytes. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /** Response headers passed back to the browser; everything else stays behind. */
    static final List<String> PASSED_BACK = List.of("Content-Type", "Retry-After", "X-RateLimit-Limit",
            "X-RateLimit-Remaining", "X-RateLimit-Reset", "Idempotent-Replayed");

    private final HttpClient http;
    private final DashboardConfig config;

    public UpstreamClient(DashboardConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.proxyTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AsynchronousNonBlocking
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    public Uni<Answer> send(URI uri, String method, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.proxyTimeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return Uni.createFrom().completionStage(() -> http.sendAsync(request.build(),
                        HttpResponse.BodyHandlers.ofByteArray()))
                .map(UpstreamClient::answer);
    }

    private static Answer answer(HttpResponse<byte[]> response) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String name : PASSED_BACK) {
            Optional<String> value = response.headers().firstValue(name);
            value.ifPresent(v -> out.put(name, v));
        }
        return new Answer(response.statusCode(), out, response.body());
    }
}

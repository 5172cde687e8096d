package io.trustplane.provenance.client;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Speaks C2SP tlog-witness {@code add-checkpoint} to one witness: the body is {@code old <size>}, the consistency
 * proof from that size (one base64 hash per line), a blank line and the signed checkpoint. Asynchronous (JDK HTTP
 * client) with a deadline per request, so a slow or dead witness never holds up anything but its own round.
 */
@ApplicationScoped
public class WitnessClient {

    /** The witness's answer: 200 with cosignature lines, 409 with its own tree size, or another refusal. */
    public record Reply(int status, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CompletableFuture<Reply> addCheckpoint(URI url, long oldSize, List<byte[]> proof, String checkpoint,
            Duration timeout) {
        StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] hash : proof) {
            body.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        body.append('\n').append(checkpoint);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }
}

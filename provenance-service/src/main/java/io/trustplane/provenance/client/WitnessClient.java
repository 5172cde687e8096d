package io.trustplane.provenance.client;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.config.ProvenanceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Speaks C2SP tlog-witness {@code add-checkpoint} to one witness: the body is {@code old <size>}, the consistency
 * proof from that size (one base64 hash per line), a blank line and the signed checkpoint. Asynchronous (a
 * {@link WitnessApi} REST client per witness URL) with a deadline per request, so a slow or dead witness never holds
 * up anything but its own round. No retry and no circuit breaker here: a witness that fails is asked again at the next
 * round, and a 409 is answered by {@code service.Witnessing} with a proof from the witness's size.
 */
@ApplicationScoped
public class WitnessClient {

    /** The witness's answer: 200 with cosignature lines, 409 with its own tree size, or another refusal. */
    public record Reply(int status, String body) {
    }

    private final Duration connectTimeout;
    private final Map<URI, WitnessApi> clients = new ConcurrentHashMap<>();

    public WitnessClient(ProvenanceConfig config) {
        this.connectTimeout = config.witness().connectTimeout();
    }

    public Uni<Reply> addCheckpoint(URI url, long oldSize, List<byte[]> proof, String checkpoint, Duration timeout) {
        StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] hash : proof) {
            body.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        body.append('\n').append(checkpoint);
        return client(url).addCheckpoint(body.toString())
                // every status's body is read the same way (the default mapper is off: no status is an exception)
                .map(r -> new Reply(r.getStatus(), r.hasEntity() ? r.readEntity(String.class) : ""))
                .ifNoItem().after(timeout)
                .failWith(() -> new TimeoutException("no answer from " + url + " within " + timeout));
    }

    private WitnessApi client(URI url) {
        return clients.computeIfAbsent(url, u -> QuarkusRestClientBuilder.newBuilder().baseUri(u)
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(WitnessApi.class));
    }
}

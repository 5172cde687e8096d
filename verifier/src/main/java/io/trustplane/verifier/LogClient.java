package io.trustplane.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the verifier needs from a provenance-service over HTTP (JDK client): the published checkpoint (the
 * latest, or the latest final one), a record's leaf, its inclusion proof at the checkpoint's size, and consistency
 * proofs. Nothing it reads is trusted: {@link RecordVerifier} checks all of it.
 */
public final class LogClient implements RecordVerifier.ConsistencySource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public LogClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** The bundle of record {@code id} proven in the published checkpoint (the latest final one if asked). */
    public RecordBundle bundle(String id, boolean finalOnly) {
        String checkpoint = get("/v1/log/checkpoint" + (finalOnly ? "?final=true" : ""));
        long size = SignedNote.parse(checkpoint).size();
        JsonNode record = json(get("/v1/provenance/" + id));
        long index = record.get("leafIndex").asLong();
        if (index >= size) {
            throw new VerificationException(Verdict.NOT_ENOUGH_COSIGNATURES, "record " + id + " (leaf " + index
                    + ") is not yet in the latest " + (finalOnly ? "final " : "") + "checkpoint (size " + size + ")");
        }
        JsonNode proof = json(get("/v1/provenance/" + id + "/proof?treeSize=" + size));
        return new RecordBundle(id, Base64.getDecoder().decode(record.get("leaf").asText()), index,
                RecordBundle.hashes(proof, "hashes"), checkpoint, null, List.of());
    }

    @Override
    public Optional<List<byte[]>> proof(long from, long to) {
        return Optional.of(RecordBundle.hashes(json(get("/v1/log/consistency?from=" + from + "&to=" + to)), "hashes"));
    }

    private String get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new VerificationException(Verdict.UNAVAILABLE, "GET " + path + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new VerificationException(Verdict.UNAVAILABLE, "GET " + baseUrl + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerificationException(Verdict.UNAVAILABLE, "interrupted");
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new VerificationException(Verdict.MALFORMED, "the log answered with invalid JSON: " + e.getMessage());
        }
    }
}

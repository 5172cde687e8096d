package io.trustplane.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON-over-HTTP client for base URLs; a failed connection is an answer with status -1, not an exception. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status (-1 when there was none), parsed JSON body (missing when not JSON), one header. */
    record Reply(int status, String body, String replica) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        @Override
        public String toString() {
            return status + " " + (body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    // HTTP/1.1: the balancer balances requests, not the connection an h2c upgrade would turn into a tunnel
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    CompletableFuture<Reply> sendAsync(String method, String url, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body(), r.headers().firstValue("X-Trustplane-Replica").orElse("")))
                .exceptionally(e -> new Reply(-1, String.valueOf(e), ""));
    }

    Reply send(String method, String url, String token, Object body) {
        return sendAsync(method, url, token, body).join();
    }

    Reply get(String url, String token) {
        return send("GET", url, token, null);
    }

    Reply post(String url, String token, Object body) {
        return send("POST", url, token, body);
    }

    Reply put(String url, String token, Object body) {
        return send("PUT", url, token, body);
    }
}

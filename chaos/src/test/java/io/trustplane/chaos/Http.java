package io.trustplane.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos clients' HTTP: JSON in and out with a bearer token, HTTP/1.1, a hard per-request timeout, and every
 * outcome (including "no answer") turned into a {@link Reply} instead of an exception.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Answers within this bound or the request counts as a hang (provenance waits up to 30 s for integration). */
    static final Duration TIMEOUT = Duration.ofSeconds(45);

    /** How a request ended when no HTTP answer came back. */
    enum Failure { NONE, UNREACHABLE, TIMEOUT }

    /** One request's outcome. {@code json} is null when the body is not JSON. */
    record Reply(String method, String url, int status, String contentType, String retryAfter, JsonNode json,
            String body, Failure failure, String error) {

        boolean ok() {
            return failure == Failure.NONE && status / 100 == 2;
        }

        boolean problem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        String code() {
            return json != null && json.hasNonNull("code") ? json.get("code").asText() : null;
        }

        @Override
        public String toString() {
            String what = failure == Failure.NONE ? status + " " + abbreviate(body) : failure + " " + error;
            return method + " " + url + " -> " + what;
        }

        private static String abbreviate(String s) {
            return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    private final HttpClient client;

    Http() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "chaos-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(8, daemons))
                .build();
    }

    Reply get(String url, String token) {
        return join(getAsync(url, token));
    }

    /** The body's bytes of a 200 answer (tiles are binary), or null for any other outcome. */
    byte[] getBytes(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> res = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return res.statusCode() == 200 ? res.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    Reply post(String url, String token, Object body) {
        return join(sendAsync("POST", url, token, body));
    }

    Reply put(String url, String token, Object body) {
        return join(sendAsync("PUT", url, token, body));
    }

    Reply delete(String url, String token) {
        return join(sendAsync("DELETE", url, token, null));
    }

    CompletableFuture<Reply> getAsync(String url, String token) {
        return sendAsync("GET", url, token, null);
    }

    CompletableFuture<Reply> sendAsync(String method, String url, String token, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Accept", "application/json, application/problem+json, text/plain");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .handle((res, failure) -> failure == null ? reply(method, url, res) : failed(method, url, failure));
    }

    private static Reply reply(String method, String url, HttpResponse<String> res) {
        String type = res.headers().firstValue("Content-Type").orElse(null);
        JsonNode json = null;
        if (type != null && type.contains("json") && res.body() != null && !res.body().isEmpty()) {
            try {
                json = JSON.readTree(res.body());
            } catch (IOException e) {
                json = null;
            }
        }
        return new Reply(method, url, res.statusCode(), type, res.headers().firstValue("Retry-After").orElse(null),
                json, res.body(), Failure.NONE, null);
    }

    private static Reply failed(String method, String url, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Failure kind = t instanceof HttpTimeoutException && !(t instanceof java.net.http.HttpConnectTimeoutException)
                ? Failure.TIMEOUT : Failure.UNREACHABLE;
        return new Reply(method, url, -1, null, null, null, null, kind, t.toString());
    }

    private static Reply join(CompletableFuture<Reply> f) {
        return f.join();
    }

    static String write(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

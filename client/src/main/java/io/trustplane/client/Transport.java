package io.trustplane.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sends one logical call: adds the bearer token and (on creating calls) one {@code Idempotency-Key} kept across
 * its retries, retries 429/503 and dropped connections within the call's deadline, and turns error answers into
 * {@link ProblemException}s.
 */
final class Transport {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "code", "detail", "instance",
            "errors");

    private final Map<Service, URI> bases;
    private final HttpClient http;
    private final ObjectMapper json;
    private final TokenSupplier tokens;
    private final RetryPolicy retry;
    private final Duration attemptTimeout;

    Transport(Map<Service, URI> bases, HttpClient http, TokenSupplier tokens, RetryPolicy retry, Duration attemptTimeout) {
        this.bases = Map.copyOf(bases);
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
        this.attemptTimeout = attemptTimeout;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    ObjectMapper json() {
        return json;
    }

    HttpClient http() {
        return http;
    }

    TokenSupplier tokens() {
        return tokens;
    }

    URI uri(Service service, String pathAndQuery) {
        URI base = bases.get(service);
        if (base == null) {
            throw new IllegalStateException("no URL configured for the " + service.name().toLowerCase() + " service");
        }
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + pathAndQuery);
    }

    /** Calls {@code route} at {@code pathAndQuery} and reads a 2xx answer as {@code type}. */
    <T> T call(Route route, String pathAndQuery, Object body, Duration deadline, Class<T> type) {
        return call(route, pathAndQuery, body, deadline, json.constructType(type));
    }

    <T> T call(Route route, String pathAndQuery, Object body, Duration deadline, JavaType type) {
        HttpResponse<byte[]> res = send(route, pathAndQuery, body, deadline);
        return read(res, type);
    }

    private <T> T read(HttpResponse<byte[]> res, JavaType type) {
        if (type.getRawClass() == Void.class) {
            return null;
        }
        if (type.getRawClass() == String.class) {
            @SuppressWarnings("unchecked")
            T text = (T) new String(res.body(), StandardCharsets.UTF_8);
            return text;
        }
        try {
            return json.readValue(res.body(), type);
        } catch (IOException e) {
            throw new TrustplaneException("unreadable answer from " + res.uri() + ": " + e.getMessage(), e);
        }
    }

    /** Sends with retries; returns the 2xx answer or throws. */
    HttpResponse<byte[]> send(Route route, String pathAndQuery, Object body, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        String key = route.creating() ? UUID.randomUUID().toString() : null;
        // a dropped connection may have run the call: repeat it only when the server can tell (a key) or it is safe
        boolean replayable = key != null || route.method().equals("GET") || route.method().equals("PUT");
        byte[] payload = body == null ? null : bytes(body);
        for (int attempt = 1; ; attempt++) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                throw new TrustplaneException(route.method() + " " + pathAndQuery + ": deadline of " + deadline
                        + " passed before attempt " + attempt);
            }
            HttpRequest request = request(route, pathAndQuery, payload, key,
                    Duration.ofNanos(Math.min(remaining, attemptTimeout.toNanos())));
            Duration wait;
            RuntimeException failure;
            try {
                HttpResponse<byte[]> res = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() / 100 == 2) {
                    return res;
                }
                ProblemException problem = problem(res);
                if (!retryable(problem, key)) {
                    throw problem;
                }
                failure = problem;
                wait = retry.delay(attempt, problem.retryAfter().orElse(null));
            } catch (IOException e) {
                failure = new TrustplaneException(route.method() + " " + pathAndQuery + " failed: " + e, e);
                if (!replayable) {
                    throw failure;
                }
                wait = retry.delay(attempt, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrustplaneException("interrupted while calling " + pathAndQuery, e);
            }
            if (attempt >= retry.maxAttempts() || System.nanoTime() + wait.toNanos() >= end) {
                throw failure;
            }
            sleep(wait);
        }
    }

    private static boolean retryable(ProblemException p, String key) {
        return p.status() == 429 || p.status() == 503
                || (key != null && p.status() == 409 && "idempotency_in_progress".equals(p.code()));
    }

    private HttpRequest request(Route route, String pathAndQuery, byte[] payload, String key, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(route.service(), pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "Bearer " + tokens.token())
                .header("Accept", route.response() == String.class ? "text/plain, application/problem+json"
                        : "application/json, application/problem+json");
        if (key != null) {
            b.header(IDEMPOTENCY_KEY, key);
        }
        if (payload != null) {
            b.header("Content-Type", "application/json");
            b.method(route.method(), HttpRequest.BodyPublishers.ofByteArray(payload));
        } else {
            b.method(route.method(), HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body: " + e.getMessage(), e);
        }
    }

    /** The error answer as an exception; a body that is not a problem document still gives status and code. */
    ProblemException problem(HttpResponse<byte[]> res) {
        JsonNode doc = null;
        try {
            doc = res.body() == null || res.body().length == 0 ? null : json.readTree(res.body());
        } catch (IOException e) {
            // not JSON: status and headers are all there is
        }
        int status = res.statusCode();
        List<FieldError> errors = new ArrayList<>();
        Map<String, JsonNode> extras = new LinkedHashMap<>();
        String code = "http_" + status;
        String title = null;
        String detail = null;
        String instance = null;
        if (doc != null && doc.isObject()) {
            code = doc.path("code").isTextual() ? doc.get("code").asText() : code;
            title = text(doc, "title");
            detail = text(doc, "detail");
            instance = text(doc, "instance");
            doc.path("errors").forEach(e -> errors.add(new FieldError(text(e, "field"), text(e, "message"))));
            doc.fields().forEachRemaining(f -> {
                if (!PROBLEM_MEMBERS.contains(f.getKey())) {
                    extras.put(f.getKey(), f.getValue());
                }
            });
        }
        Duration retryAfter = res.headers().firstValue("Retry-After").map(Transport::retryAfter).orElse(null);
        return ProblemException.of(new ProblemException.Problem(status, code, title, detail, instance,
                List.copyOf(errors), Map.copyOf(extras), retryAfter));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when unreadable. */
    static Duration retryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException ex) {
                return null;
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrustplaneException("interrupted while waiting to retry", e);
        }
    }
}

package io.trustplane.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trustplane.client.Model.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Retries and problem answers against a local HTTP server that answers as told: 429/503 with Retry-After retried
 * within the deadline and surfaced after it; problem documents read into typed exceptions.
 */
class RetryAndProblemTest {

    /** One answer the server gives: status, Retry-After (or null), body. */
    record Answer(int status, String retryAfter, String contentType, String body) {
    }

    /** What the server saw of one request. */
    record Seen(long atNanos, String method, String path, String idempotencyKey, String authorization) {
    }

    private static final String LEASE_JSON = "{\"leaseId\":\"l-1\",\"taskId\":\"t-1\",\"phase\":\"STRATEGIZE\","
            + "\"holder\":\"agent-7\",\"fencingToken\":42,\"acquiredAt\":\"2026-01-01T00:00:00Z\","
            + "\"expiresAt\":\"2026-01-01T00:05:00Z\",\"expiresInMs\":300000,\"renewals\":0,\"status\":\"ACTIVE\"}";

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile IntFunction<Answer> answers;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        seen.add(new Seen(System.nanoTime(), ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Idempotency-Key"), ex.getRequestHeaders().getFirst("Authorization")));
        ex.getRequestBody().readAllBytes();
        Answer a = answers.apply(calls.incrementAndGet());
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", a.contentType());
        if (a.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
        ex.sendResponseHeaders(a.status(), body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private TrustplaneClient client(Duration deadline) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return TrustplaneClient.builder().lease(url).gate(url).provenance(url).telemetry(url)
                .token("tok-1").deadline(deadline).build();
    }

    private static Answer problem(int status, String retryAfter, String json) {
        return new Answer(status, retryAfter, "application/problem+json", json);
    }

    @Test
    void serviceUnavailableIsRetriedAfterRetryAfterWithTheSameKeyUntilItAnswers() {
        answers = n -> n <= 2
                ? problem(503, "1", "{\"status\":503,\"code\":\"dependency_unavailable\",\"title\":\"Service Unavailable\"}")
                : new Answer(201, null, "application/json", LEASE_JSON);
        try (TrustplaneClient tp = client(Duration.ofSeconds(20))) {
            Lease lease = tp.leases().acquire("t-1", Phase.STRATEGIZE, null);
            assertThat(lease.fencingToken()).isEqualTo(42);
        }
        assertThat(seen).hasSize(3);
        assertThat(seen).extracting(Seen::idempotencyKey).doesNotContainNull().containsOnly(seen.get(0).idempotencyKey());
        assertThat(seen).extracting(Seen::authorization).containsOnly("Bearer tok-1");
        for (int i = 1; i < seen.size(); i++) {
            assertThat(Duration.ofNanos(seen.get(i).atNanos() - seen.get(i - 1).atNanos()))
                    .as("attempt %d waited for Retry-After", i + 1).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void tooManyRequestsPastTheDeadlineSurfacesAsUnavailableWithItsRetryAfter() {
        answers = n -> problem(429, "2", "{\"status\":429,\"code\":\"rate_limited\",\"title\":\"Too Many Requests\","
                + "\"detail\":\"slow down\"}");
        UnavailableException e;
        try (TrustplaneClient tp = client(Duration.ofSeconds(3))) {
            e = catchThrowableOfType(UnavailableException.class,
                    () -> tp.gate().checkCeiling("agent-7", "tokens", 5, null));
        }
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.detail()).isEqualTo("slow down");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        // 0 s, then >= 2 s; a third attempt would come after >= 4 s, past the 3 s deadline: never sent
        assertThat(seen).hasSizeBetween(1, 2);
    }

    @Test
    void getsAreNotRetriedOnRefusalsAndNeverCarryAKey() {
        answers = n -> problem(404, null, "{\"status\":404,\"code\":\"not_found\",\"detail\":\"no such lease\"}");
        try (TrustplaneClient tp = client(Duration.ofSeconds(5))) {
            NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> tp.leases().get("l-9"));
            assertThat(e.code()).isEqualTo("not_found");
        }
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.idempotencyKey()).isNull();
            assertThat(s.path()).isEqualTo("/v1/leases/l-9");
        });
    }

    @Test
    void aConflictCarriesTheHolderAndTheTimeLeft() {
        answers = n -> problem(409, null, "{\"type\":\"urn:trustplane:problem:lease_held\",\"title\":\"Conflict\","
                + "\"status\":409,\"code\":\"lease_held\",\"detail\":\"held\",\"instance\":\"/v1/leases\","
                + "\"holder\":\"agent-8\",\"expiresInMs\":1234}");
        try (TrustplaneClient tp = client(Duration.ofSeconds(5))) {
            ConflictException e = catchThrowableOfType(ConflictException.class,
                    () -> tp.leases().acquire("t-1", Phase.SPEC, 30));
            assertThat(e.code()).isEqualTo("lease_held");
            assertThat(e.holder()).contains("agent-8");
            assertThat(e.expiresInMs()).contains(1234L);
            assertThat(e.instance()).isEqualTo("/v1/leases");
            assertThat(e.extras()).containsOnlyKeys("holder", "expiresInMs");
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void aRefusedTransitionNamesTheMissingEvidenceAndTheField() {
        answers = n -> problem(422, null, "{\"status\":422,\"code\":\"evidence_gate_failed\",\"detail\":\"needs diff\","
                + "\"errors\":[{\"field\":\"evidence\",\"message\":\"missing kind diff\"}],\"missing\":[\"diff\",\"build\"]}");
        try (TrustplaneClient tp = client(Duration.ofSeconds(5))) {
            InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                    () -> tp.tasks().transition("t-1", Phase.VERIFY, List.of(), 3));
            assertThat(e.code()).isEqualTo("evidence_gate_failed");
            assertThat(e.missing()).containsExactly("diff", "build");
            assertThat(e.errors()).containsExactly(new FieldError("evidence", "missing kind diff"));
        }
    }

    @Test
    void anAnswerThatIsNotAProblemDocumentStillGivesItsStatus() {
        answers = n -> new Answer(502, null, "text/html", "<html>bad gateway</html>");
        try (TrustplaneClient tp = client(Duration.ofSeconds(5))) {
            ProblemException e = catchThrowableOfType(ProblemException.class, () -> tp.telemetry().alert("a-1"));
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.code()).isEqualTo("http_502");
        }
    }
}

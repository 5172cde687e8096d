package io.trustplane.e2e;

import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A trace crosses services with the shipped context-propagation setting ({@code mp.context.ThreadContext.unchanged=
 * OpenTelemetry,Transaction} in common's defaults: the trace context travels in Vert.x' duplicated context, not by
 * MicroProfile context propagation). A telemetry-service and a provenance-service process with tracing on (new traces
 * never sampled, so only the caller's sampled trace is exported) and a stand-in OTLP/HTTP collector: GET /v1/stats
 * with a sampled {@code traceparent} makes telemetry ask provenance for its checkpoint through its REST client, and
 * both services export spans under the caller's trace id.
 */
@ExtendWith(E2e.Extension.class)
class TracingAcrossServicesTest {

    private final E2e suite;

    TracingAcrossServicesTest(E2e suite) {
        this.suite = suite;
    }

    @Test
    void aSampledTraceEnteringTelemetryContinuesIntoProvenanceThroughItsRestClient() throws Exception {
        BlockingQueue<byte[]> exports = new LinkedBlockingQueue<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", Infrastructure.freePort()), 0);
        collector.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                exports.add(in.readAllBytes());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Map<String, String> tracing = Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.traces.sampler.arg", "0.0",
                "quarkus.otel.bsp.schedule.delay", "PT0.1S",
                "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
        List<Suite.Running> started = new ArrayList<>();
        try {
            Suite.Running provenance = suite.startReplica("provenance", tracing);
            started.add(provenance);
            Map<String, String> telemetrySettings = new HashMap<>(tracing);
            telemetrySettings.put("trustplane.services.provenance", provenance.url());
            Suite.Running telemetry = suite.startReplica("telemetry", telemetrySettings);
            started.add(telemetry);

            String traceId = "5a0e1c7d3b9f4e2a8c6d0b1f3e5a7c9d";
            RestAssured.given().baseUri(telemetry.url()).auth().oauth2(suite.operator())
                    .header("traceparent", "00-" + traceId + "-1f2e3d4c5b6a7988-01")
                    .get("/v1/stats")
                    .then().statusCode(200)
                    // the figure came from provenance-service, so the call this test is about was made
                    .body("sources.logSize", equalTo("provenance-service"));

            byte[] id = HexFormat.of().parseHex(traceId);
            List<byte[]> received = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(exported(received, id, "telemetry-service", "provenance-service")
                    && exported(received, id, "provenance-service", "telemetry-service"))
                    && System.nanoTime() < deadline) {
                byte[] export = exports.poll(1, TimeUnit.SECONDS);
                if (export != null) {
                    received.add(export);
                }
            }
            assertThat(exported(received, id, "telemetry-service", "provenance-service"))
                    .as("telemetry-service exported a span of the caller's trace (%d exports)", received.size()).isTrue();
            assertThat(exported(received, id, "provenance-service", "telemetry-service"))
                    .as("provenance-service exported a span of the same trace: the trace crossed the REST call")
                    .isTrue();
        } finally {
            started.forEach(suite::stop);
            collector.stop(0);
        }
    }

    /**
     * An export by {@code service} (each process exports its own batches, its resource naming it, and never the
     * {@code other}'s name) that holds a span of trace {@code id}.
     */
    private static boolean exported(List<byte[]> exports, byte[] id, String service, String other) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        byte[] otherName = other.getBytes(StandardCharsets.UTF_8);
        return exports.stream().anyMatch(b -> contains(b, id) && contains(b, name) && !contains(b, otherName));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

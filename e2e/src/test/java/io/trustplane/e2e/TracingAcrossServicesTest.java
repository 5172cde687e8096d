package io.trustplane.e2e;

import io.restassured.RestAssured;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.OtlpCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
        List<Suite.Running> started = new ArrayList<>();
        try (OtlpCollector collector = OtlpCollector.start(Infrastructure.freePort())) {
            Map<String, String> tracing = Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.traces.sampler.arg", "0.0",
                    "quarkus.otel.bsp.schedule.delay", "PT0.1S",
                    "quarkus.otel.exporter.otlp.traces.endpoint", collector.endpoint());
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
                List<byte[]> received = collector.await(exports -> exported(exports, id, "telemetry-service",
                        "provenance-service") && exported(exports, id, "provenance-service", "telemetry-service"), 30);
                assertThat(exported(received, id, "telemetry-service", "provenance-service"))
                        .as("telemetry-service exported a span of the caller's trace (%d exports)", received.size())
                        .isTrue();
                assertThat(exported(received, id, "provenance-service", "telemetry-service"))
                        .as("provenance-service exported a span of the same trace: the trace crossed the REST call")
                        .isTrue();
            } finally {
                started.forEach(suite::stop);
            }
        }
    }

    /**
     * An export by {@code service} (each process exports its own batches, its resource naming it, and never the
     * {@code other}'s name) that holds a span of trace {@code id}.
     */
    private static boolean exported(List<byte[]> exports, byte[] id, String service, String other) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        byte[] otherName = other.getBytes(StandardCharsets.UTF_8);
        return exports.stream().anyMatch(b -> OtlpCollector.contains(b, id) && OtlpCollector.contains(b, name)
                && !OtlpCollector.contains(b, otherName));
    }
}

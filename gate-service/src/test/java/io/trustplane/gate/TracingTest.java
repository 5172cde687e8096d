package io.trustplane.gate;

import io.trustplane.gate.rest.GateTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.OtlpCollector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.trustplane.testing.OtlpCollector.contains;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared tracing defaults (common's microprofile-config.properties) with the SDK on and new traces never
 * sampled (ratio 0): a request whose caller sampled its trace is still recorded and exported over OTLP/HTTP under
 * the caller's trace id, with the route template; a request whose caller did not sample is not exported.
 */
@QuarkusTest
@TestProfile(TracingTest.Collector.class)
class TracingTest extends GateTestSupport {

    /**
     * The profile is loaded by another class loader than the test runs in, so the two share the collector's port
     * through a system property, not a static field: the profile picks it, the test listens on it.
     */
    static final String PORT_PROPERTY = "trustplane.test.otlp-port";

    public static class Collector implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // asked more than once (once per class loader): the first answer stands
            int port = Integer.getInteger(PORT_PROPERTY, 0);
            if (port == 0) {
                // below the ephemeral range: a port from it could be taken by an outgoing connection before the
                // collector binds it
                port = Infrastructure.freePort();
                System.setProperty(PORT_PROPERTY, Integer.toString(port));
            }
            // the shared defaults switch the SDK off in the test profile (%test. wins over a plain key)
            return Map.of(
                    "%test.quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.traces.sampler.arg", "0.0",
                    "quarkus.otel.bsp.schedule.delay", "PT0.1S",
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + port);
        }
    }

    private static OtlpCollector collector;

    @BeforeAll
    static void startCollector() throws IOException {
        collector = OtlpCollector.start(Integer.getInteger(PORT_PROPERTY));
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void aCallersSampledTraceIsContinuedAndExportedAnUnsampledOneIsNot() throws InterruptedException {
        String token = agent(unique("traced"));
        String unsampled = "4bf92f3577b34da6a3ce929d0e0e4737";
        String sampled = "0af7651916cd43dd8448eb211c80319c";
        as(token).header("traceparent", "00-" + unsampled + "-00f067aa0ba902b7-00").get("/v1/whoami")
                .then().statusCode(200);
        as(token).header("traceparent", "00-" + sampled + "-b7ad6b7169203331-01").get("/v1/whoami")
                .then().statusCode(200);

        byte[] sampledId = HexFormat.of().parseHex(sampled);
        List<byte[]> received = collector.await(exports -> exports.stream().anyMatch(b -> contains(b, sampledId)), 30);
        byte[] export = received.stream().filter(b -> contains(b, sampledId)).findFirst()
                .orElseThrow(() -> new AssertionError("no span with the caller's sampled trace id in the "
                        + received.size() + " exports received"));
        assertThat(contains(export, "/v1/whoami".getBytes(StandardCharsets.UTF_8))).as("route template").isTrue();
        assertThat(contains(export, "gate-service".getBytes(StandardCharsets.UTF_8))).as("service name").isTrue();
        // spans are exported in the order they end: the unsampled request ended first and is in none of them
        byte[] unsampledId = HexFormat.of().parseHex(unsampled);
        assertThat(received).noneMatch(b -> contains(b, unsampledId));
    }
}

package io.trustplane.gate;

import io.trustplane.gate.rest.GateTestSupport;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
                try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = free.getLocalPort();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
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

    /** OTLP/HTTP export bodies received by the stand-in collector, in arrival order. */
    private static final BlockingQueue<byte[]> EXPORTS = new LinkedBlockingQueue<>();
    private static HttpServer collector;

    @BeforeAll
    static void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.getInteger(PORT_PROPERTY)), 0);
        collector.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                EXPORTS.add(in.readAllBytes());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
    }

    @AfterAll
    static void stopCollector() {
        collector.stop(0);
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
        List<byte[]> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.stream().noneMatch(b -> contains(b, sampledId)) && System.nanoTime() < deadline) {
            byte[] export = EXPORTS.poll(1, TimeUnit.SECONDS);
            if (export != null) {
                received.add(export);
            }
        }
        byte[] export = received.stream().filter(b -> contains(b, sampledId)).findFirst()
                .orElseThrow(() -> new AssertionError("no span with the caller's sampled trace id in the "
                        + received.size() + " exports received"));
        assertThat(contains(export, "/v1/whoami".getBytes(StandardCharsets.UTF_8))).as("route template").isTrue();
        assertThat(contains(export, "gate-service".getBytes(StandardCharsets.UTF_8))).as("service name").isTrue();
        // spans are exported in the order they end: the unsampled request ended first and is in none of them
        byte[] unsampledId = HexFormat.of().parseHex(unsampled);
        assertThat(received).noneMatch(b -> contains(b, unsampledId));
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

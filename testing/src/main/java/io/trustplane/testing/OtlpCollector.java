package io.trustplane.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stand-in OpenTelemetry collector for tests: accepts OTLP/HTTP exports on loopback and keeps each body (one
 * service's batch of spans, protobuf) as received. Tests look for bytes in them (a trace id, a service name, a route)
 * rather than decode them, so no OpenTelemetry class is needed to check what a service exported.
 */
public final class OtlpCollector implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
    private final List<byte[]> received = new ArrayList<>();

    private OtlpCollector(HttpServer server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1:{@code port} until closed. */
    public static OtlpCollector start(int port) throws IOException {
        OtlpCollector collector = new OtlpCollector(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
        collector.server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                collector.arrived.add(in.readAllBytes());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.server.start();
        return collector;
    }

    /** The OTLP/HTTP traces endpoint to configure a service with. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Waits up to {@code seconds} until {@code done} holds for the exports received so far, and returns them all in
     * arrival order (whether or not it came to hold: the caller asserts on them).
     */
    public synchronized List<byte[]> await(Predicate<List<byte[]>> done, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.test(received) && System.nanoTime() < deadline) {
            byte[] export = arrived.poll(1, TimeUnit.SECONDS);
            if (export != null) {
                received.add(export);
            }
        }
        return List.copyOf(received);
    }

    /** Whether {@code needle} occurs in {@code haystack}. */
    public static boolean contains(byte[] haystack, byte[] needle) {
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

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.trustplane.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trustplane.telemetry.service.WebhookSigner;
import io.vertx.mutiny.sqlclient.Pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP receiver for notification tests (JDK HttpServer on a free loopback port, allow-listed for
 * tests): records every request it is sent and answers {@link #status}.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received: its path, Host and signature headers, and body. */
    public record Received(String path, String host, String signature, String body) {
    }

    /** Every request so far, oldest first. */
    public final List<Received> received = new CopyOnWriteArrayList<>();
    /** What the receiver answers: 200 unless a test says otherwise. */
    public final AtomicInteger status = new AtomicInteger(200);
    private final HttpServer server;

    private final Pool pool;

    private WebhookReceiver(HttpServer server, Pool pool) {
        this.server = server;
        this.pool = pool;
    }

    /**
     * Starts a receiver; while it runs it owns the subscriptions table, so it gets only what its test subscribes to it
     * (none before, none left to point at its closed port after).
     */
    public static WebhookReceiver start(Pool pool) throws IOException {
        TestSupport.exec(pool, "DELETE FROM subscriptions");
        WebhookReceiver receiver = new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0),
                pool);
        receiver.server.createContext("/", receiver::record);
        receiver.server.start();
        return receiver;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, to which a subscription's path is appended. */
    public String base() {
        return "http://127.0.0.1:" + port();
    }

    private void record(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Host"),
                ex.getRequestHeaders().getFirst(WebhookSigner.HEADER), body));
        ex.sendResponseHeaders(status.get(), -1);
        ex.close();
    }

    @Override
    public void close() {
        TestSupport.exec(pool, "DELETE FROM subscriptions");
        server.stop(0);
    }
}

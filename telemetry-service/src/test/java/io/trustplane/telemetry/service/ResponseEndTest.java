package io.trustplane.telemetry.service;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A webhook answer that has already ended when the sender asks for its end is a delivery, not a failure: the race
 * that made a retry POST one notification twice, made deterministic by asking only after the connection closed.
 */
class ResponseEndTest {

    Vertx vertx;
    HttpClient http;
    HttpServer receiver;
    final AtomicInteger received = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            received.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        receiver.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aResponseThatEndedBeforeItsEndWasAskedForStillGivesItsStatus() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        HttpClientResponse response = http.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1").setPort(receiver.getAddress().getPort()).setURI("/hook"))
                .compose(request -> {
                    request.connection().closeHandler(v -> closed.set(true));
                    return request.send(Buffer.buffer("{}"));
                })
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        // the receiver closes the connection after its whole answer: once closed, the response has ended unobserved
        await().atMost(Duration.ofSeconds(60)).untilTrue(closed);
        assertThatThrownBy(response::end).as("Vert.x refuses end() on an ended response")
                .isInstanceOf(IllegalStateException.class);

        Integer status = NotificationService.statusOnceEnded(response).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(204);
        assertThat(received).hasValue(1);
    }
}

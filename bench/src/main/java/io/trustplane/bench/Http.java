package io.trustplane.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Seeding over the services' own APIs, concurrently, failing loudly on the first refused request. */
final class Http {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String send(String method, String url, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() >= 300) {
            throw new IOException(method + " " + url + " -> " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }

    /** Runs {@code count} calls on {@code parallelism} threads; returns their bodies in order. */
    List<String> parallel(int count, int parallelism, IntFunction<Call> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<String>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Call c = call.apply(i);
                futures.add(pool.submit(() -> send(c.method(), c.url(), c.token(), c.json())));
            }
            List<String> bodies = new ArrayList<>(count);
            for (Future<String> f : futures) {
                bodies.add(f.get());
            }
            return bodies;
        } finally {
            pool.shutdownNow();
        }
    }

    record Call(String method, String url, String token, String json) {
    }
}

package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's one subscription to {@code GET /v1/leases/events} (Server-Sent Events), open while it holds leases:
 * a {@code lease.lost} or {@code lease.expired} notice for a held lease reaches its {@link LeaseHandle}. Reconnects
 * after a dropped stream; a notice missed meanwhile still shows up as a refused renewal.
 */
final class LeaseWatcher {

    private static final long RECONNECT_MS = 500;

    private final Transport transport;
    private final Map<String, LeaseHandle> handles = new HashMap<>();
    private Thread thread;
    private InputStream stream;
    private volatile boolean subscribed;
    private boolean closed;

    LeaseWatcher(Transport transport) {
        this.transport = transport;
    }

    synchronized void register(String leaseId, LeaseHandle handle) {
        handles.put(leaseId, handle);
        if (!closed && thread == null) {
            thread = new Thread(this::run, "trustplane-lease-events");
            thread.setDaemon(true);
            thread.start();
        }
    }

    synchronized void rekey(String oldId, String newId, LeaseHandle handle) {
        handles.remove(oldId);
        handles.put(newId, handle);
    }

    synchronized void unregister(String leaseId) {
        handles.remove(leaseId);
        if (handles.isEmpty()) {
            closeStream();
        }
    }

    boolean subscribed() {
        return subscribed;
    }

    synchronized void close() {
        closed = true;
        closeStream();
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing only to wake the reader
            }
        }
    }

    private void run() {
        while (true) {
            synchronized (this) {
                if (closed || handles.isEmpty()) {
                    thread = null;
                    return;
                }
            }
            try {
                listen();
            } catch (IOException | RuntimeException e) {
                // dropped or refused: reconnect below while leases are held
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                subscribed = false;
            }
            try {
                Thread.sleep(RECONNECT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void listen() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(transport.uri(Service.LEASE, Routes.LEASE_EVENTS.path()))
                .header("Authorization", "Bearer " + transport.tokens().token())
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> res = transport.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        synchronized (this) {
            if (closed || handles.isEmpty()) {
                res.body().close();
                return;
            }
            stream = res.body();
        }
        if (res.statusCode() != 200) {
            res.body().close();
            return;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data:")) {
                    dispatch(transport.json().readTree(line.substring(5).trim()));
                }
            }
        }
    }

    private void dispatch(JsonNode notice) {
        String type = notice.path("type").asText();
        if (type.equals("subscribed")) {
            subscribed = true;
            return;
        }
        if (!type.equals("lease.lost") && !type.equals("lease.expired")) {
            return;
        }
        LeaseHandle handle;
        synchronized (this) {
            handle = handles.get(notice.path("leaseId").asText());
        }
        if (handle != null) {
            handle.noticed(type, notice.hasNonNull("reason") ? notice.get("reason").asText() : null);
        }
    }
}

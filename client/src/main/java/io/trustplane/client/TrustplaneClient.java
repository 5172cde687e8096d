package io.trustplane.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Trustplane client: one object per agent process, thread-safe, cheap to build (no thread, connection or
 * stream until a call or a held lease needs one). Each call runs within the client's deadline, retries included;
 * {@link #withDeadline(Duration)} gives a view with another one.
 *
 * <pre>{@code
 * TrustplaneClient tp = TrustplaneClient.builder()
 *         .lease("http://127.0.0.1:8081").provenance("http://127.0.0.1:8082")
 *         .gate("http://127.0.0.1:8083").telemetry("http://127.0.0.1:8084")
 *         .token(TokenSupplier.of(jwt)).build();
 * }</pre>
 */
public final class TrustplaneClient implements AutoCloseable {

    /** What every view of one client shares: the transport, and the lease machinery once a lease is held. */
    static final class Core {
        final Transport transport;
        private ScheduledExecutorService scheduler;
        private LeaseWatcher watcher;
        private boolean closed;

        Core(Transport transport) {
            this.transport = transport;
        }

        synchronized ScheduledExecutorService scheduler() {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "trustplane-leases");
                    t.setDaemon(true);
                    return t;
                });
            }
            return scheduler;
        }

        synchronized LeaseWatcher watcher() {
            if (closed) {
                throw new IllegalStateException("the client is closed");
            }
            if (watcher == null) {
                watcher = new LeaseWatcher(transport);
            }
            return watcher;
        }

        /** Stops watching a lease; nothing to do when no lease was ever watched or the client is closed. */
        synchronized void forget(String leaseId) {
            if (watcher != null) {
                watcher.unregister(leaseId);
            }
        }

        synchronized void close() {
            closed = true;
            if (watcher != null) {
                watcher.close();
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
    }

    private final Core core;
    private final Duration deadline;

    private TrustplaneClient(Core core, Duration deadline) {
        this.core = core;
        this.deadline = deadline;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same client (shared connections and leases) whose calls each get {@code deadline}, retries included. */
    public TrustplaneClient withDeadline(Duration deadline) {
        return new TrustplaneClient(core, requirePositive(deadline));
    }

    public Duration deadline() {
        return deadline;
    }

    public Leases leases() {
        return new Leases(core, deadline);
    }

    public Tasks tasks() {
        return new Tasks(core, deadline);
    }

    public Provenance provenance() {
        return new Provenance(core.transport, deadline);
    }

    public Gate gate() {
        return new Gate(core.transport, deadline);
    }

    public Telemetry telemetry() {
        return new Telemetry(core.transport, deadline);
    }

    /** Stops keeping leases alive and closes the lease-event stream; the leases themselves are left to expire. */
    @Override
    public void close() {
        core.close();
    }

    private static Duration requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
        return d;
    }

    /** Builds a client: the services' URLs and a token are required. */
    public static final class Builder {
        private final Map<Service, URI> urls = new EnumMap<>(Service.class);
        private TokenSupplier tokens;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration deadline = Duration.ofSeconds(30);
        private Duration attemptTimeout = Duration.ofSeconds(10);
        private HttpClient http;

        public Builder url(Service service, String url) {
            urls.put(service, URI.create(Objects.requireNonNull(url, "url")));
            return this;
        }

        public Builder lease(String url) {
            return url(Service.LEASE, url);
        }

        public Builder provenance(String url) {
            return url(Service.PROVENANCE, url);
        }

        public Builder gate(String url) {
            return url(Service.GATE, url);
        }

        public Builder telemetry(String url) {
            return url(Service.TELEMETRY, url);
        }

        public Builder token(TokenSupplier tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder token(String token) {
            return token(TokenSupplier.of(token));
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** How long one call may take, retries and their waits included (default 30 s). */
        public Builder deadline(Duration deadline) {
            this.deadline = requirePositive(deadline);
            return this;
        }

        /** How long one attempt may take before it counts as dropped (default 10 s; capped by the deadline). */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = requirePositive(attemptTimeout);
            return this;
        }

        /** The JDK client to send with (default: HTTP/1.1, 5 s connect timeout). */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public TrustplaneClient build() {
            if (tokens == null) {
                throw new IllegalStateException("a token (or token supplier) is required");
            }
            HttpClient client = http != null ? http : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            return new TrustplaneClient(new Core(new Transport(urls, client, tokens, retry, attemptTimeout)), deadline);
        }
    }
}

package io.trustplane.common.redis;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Enforces {@code quarkus.redis.timeout} on reactive Redis calls. Quarkus applies that setting only to the
 * blocking data source (it awaits with it); the reactive data source and the Vert.x client it wraps have no
 * command timeout, so a Redis that accepts connections but never answers (SIGSTOP, a stalled host) left a call
 * pending until the OS gave up on the socket. A call bounded here fails with a {@link io.smallrye.mutiny.TimeoutException},
 * which the problem mappers answer as 503 with {@code Retry-After} and which fail-closed callers treat as
 * "store unreachable".
 */
@ApplicationScoped
public class RedisDeadline {

    private final Duration timeout;

    public RedisDeadline(@ConfigProperty(name = "quarkus.redis.timeout") Duration timeout) {
        this.timeout = timeout;
    }

    /** The call, failing with a TimeoutException when Redis has not answered within the deadline. */
    public <T> Uni<T> bound(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail();
    }

    public Duration timeout() {
        return timeout;
    }
}

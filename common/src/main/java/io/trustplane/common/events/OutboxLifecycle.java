package io.trustplane.common.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.trustplane.common.redis.RedisDeadline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Wires the transactional outbox into a service that has the {@code event_outbox} table
 * ({@code trustplane.events.outbox.enabled=true}): the {@link Outbox} its services write through and the
 * {@link OutboxRelay} that runs on every replica from start to shutdown.
 */
@ApplicationScoped
public class OutboxLifecycle {

    private final EventsConfig config;
    private final Instance<Pool> pool;
    private final ReactiveRedisDataSource redis;
    private final MeterRegistry registry;
    private volatile OutboxRelay relay;

    public OutboxLifecycle(EventsConfig config, Instance<Pool> pool, ReactiveRedisDataSource redis,
            MeterRegistry registry) {
        this.config = config;
        this.pool = pool;
        this.redis = redis;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.outbox().enabled()) {
            relay().start(config.source());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        OutboxRelay r = relay;
        if (r != null) {
            r.close();
        }
    }

    /** This replica's relay (created on first use). */
    public synchronized OutboxRelay relay() {
        if (relay == null) {
            EventsConfig.OutboxConfig c = config.outbox();
            relay = new OutboxRelay(pool.get(), redis.getRedis(), new OutboxRelay.Settings(c.batchSize(), c.poll(),
                    c.minBackoff(), c.maxBackoff(), c.lockKey(), config.maxLen()), registry);
        }
        return relay;
    }

    @Produces
    @Singleton
    Outbox outbox(EventPublisher publisher, RedisDeadline deadline) {
        EventCodec codec = publisher.codec();
        return new Outbox(codec, pool.get(), () -> {
            OutboxRelay r = relay;
            if (r != null) {
                r.wake();
            }
        }, p -> publisher.toJson(publisher.authenticated(codec.envelope(p))),
                new Outbox.Direct(redis.getRedis(), deadline.timeout(), config.maxLen()));
    }
}

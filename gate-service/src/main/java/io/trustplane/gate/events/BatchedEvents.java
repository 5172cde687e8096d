package io.trustplane.gate.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventCodec;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.EventType;
import io.trustplane.common.events.EventsConfig;
import io.trustplane.common.events.Streams;
import io.trustplane.gate.config.GateConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The droppable decision events of the hot paths ({@link EventType.Delivery#BUFFERED}: {@code role_gate.allowed},
 * {@code ceiling.warning}), kept off PostgreSQL: a bounded in-memory buffer appended to Redis in pipelined batches,
 * one batch in flight at a time. A batch Redis refuses goes back to the head of the buffer and is retried every
 * second, so the buffer drains when Redis returns; what arrives while the buffer is full is dropped and counted.
 * The figures always add up: produced = delivered + dropped + pending ({@code GET /v1/stats}, and Micrometer).
 */
@ApplicationScoped
public class BatchedEvents {

    private static final Logger LOG = Logger.getLogger(BatchedEvents.class);

    /** The buffer's figures since start. */
    public record Figures(long produced, long delivered, long dropped, long pending) {
    }

    private final Redis redis;
    private final EventCodec codec;
    private final String maxLen;
    private final int capacity;
    private final int batchSize;
    private final ConcurrentLinkedDeque<String> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong droppedCount = new AtomicLong();
    private final Counter dropped;
    private final Counter failed;
    private final Counter published;

    public BatchedEvents(ReactiveRedisDataSource redis, EventPublisher publisher, EventsConfig events, GateConfig config,
            MeterRegistry registry) {
        this.redis = redis.getRedis();
        this.codec = publisher.codec();
        this.maxLen = Long.toString(events.maxLen());
        this.capacity = config.events().buffer();
        this.batchSize = config.events().batchSize();
        this.dropped = registry.counter("trustplane_gate_events_dropped_total");
        this.failed = registry.counter("trustplane_events_publish_failed_total");
        this.published = registry.counter("trustplane_events_published_total");
        registry.gauge("trustplane_gate_events_pending", size);
    }

    /** Queues a droppable decision event for {@code tp:events}; durable events go through the outbox instead. */
    public void fire(String subject, DomainEvent event) {
        if (event.eventType().delivery() != EventType.Delivery.BUFFERED) {
            throw new IllegalArgumentException(event.eventType().wireName() + " is durable: write it to the outbox");
        }
        produced.incrementAndGet();
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            droppedCount.incrementAndGet();
            dropped.increment();
            return;
        }
        queue.offer(codec.toJson(subject, event));
        flush();
    }

    /** Sends the next batch unless one is in flight; the in-flight batch's completion sends the next. */
    @Scheduled(every = "${trustplane.gate.events.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<String> taken = new ArrayList<>(Math.min(batchSize, Math.max(1, size.get())));
        String next;
        while (taken.size() < batchSize && (next = queue.poll()) != null) {
            taken.add(next);
        }
        if (taken.isEmpty()) {
            flushing.set(false);
            return;
        }
        List<Request> batch = new ArrayList<>(taken.size());
        for (String json : taken) {
            batch.add(Request.cmd(Command.XADD).arg(Streams.EVENTS).arg("MAXLEN").arg("~").arg(maxLen).arg("*")
                    .arg(Streams.FIELD).arg(json));
        }
        redis.batch(batch).subscribe().with(ok -> {
            size.addAndGet(-taken.size());
            delivered.addAndGet(taken.size());
            published.increment(taken.size());
            flushing.set(false);
            if (!queue.isEmpty()) {
                flush();
            }
        }, failure -> {
            // back to the head in their order; the next scheduled flush retries (Redis may be away for a while)
            for (int i = taken.size() - 1; i >= 0; i--) {
                queue.offerFirst(taken.get(i));
            }
            failed.increment(taken.size());
            LOG.debugf("could not publish %d events, kept for retry: %s", taken.size(), failure.toString());
            flushing.set(false);
        });
    }

    public int pending() {
        return size.get();
    }

    public Figures figures() {
        // read delivered and dropped before produced so a concurrent fire never makes the sum exceed produced
        long d = delivered.get();
        long x = droppedCount.get();
        long p = size.get();
        return new Figures(produced.get(), d, x, p);
    }
}

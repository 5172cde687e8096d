package io.trustplane.gate.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
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
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events of the hot paths (gate decisions, ceiling warnings and breaches), appended in pipelined batches:
 * one XADD per decision each on its own pool connection starved the Redis pool at a few thousand decisions
 * per second (events were dropped and ceiling checks had to queue behind them). One batch is in flight at a
 * time; the buffer is bounded and overflow is counted, never blocking a decision.
 */
@ApplicationScoped
public class BatchedEvents {

    private static final Logger LOG = Logger.getLogger(BatchedEvents.class);

    private final Redis redis;
    private final EventPublisher publisher;
    private final String maxLen;
    private final int capacity;
    private final int batchSize;
    private final ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final Counter dropped;
    private final Counter failed;
    private final Counter published;

    public BatchedEvents(ReactiveRedisDataSource redis, EventPublisher publisher, EventsConfig events, GateConfig config,
            MeterRegistry registry) {
        this.redis = redis.getRedis();
        this.publisher = publisher;
        this.maxLen = Long.toString(events.maxLen());
        this.capacity = config.events().buffer();
        this.batchSize = config.events().batchSize();
        this.dropped = registry.counter("trustplane_gate_events_dropped_total");
        this.failed = registry.counter("trustplane_events_publish_failed_total");
        this.published = registry.counter("trustplane_events_published_total");
    }

    /** Queues an event for {@code tp:events}. */
    public void fire(String type, String subject, Map<String, Object> data) {
        fire(Streams.EVENTS, publisher.envelope(type, subject, data));
    }

    /** Queues an event for {@code tp:events} and the same record for {@code tp:anchor}. */
    public void fireAndAnchor(String type, String subject, Map<String, Object> data) {
        EventEnvelope envelope = publisher.envelope(type, subject, data);
        fire(Streams.EVENTS, envelope);
        fire(Streams.ANCHOR, envelope);
    }

    public void fire(String stream, EventEnvelope envelope) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.increment();
            return;
        }
        EventEnvelope sent = Streams.ANCHOR.equals(stream) ? publisher.authenticated(envelope) : envelope;
        queue.offer(new String[] {stream, publisher.toJson(sent)});
        flush();
    }

    /** Sends the next batch unless one is in flight; the in-flight batch's completion sends the next. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<Request> batch = new ArrayList<>(Math.min(batchSize, size.get()));
        String[] next;
        while (batch.size() < batchSize && (next = queue.poll()) != null) {
            size.decrementAndGet();
            batch.add(Request.cmd(Command.XADD).arg(next[0]).arg("MAXLEN").arg("~").arg(maxLen).arg("*")
                    .arg(Streams.FIELD).arg(next[1]));
        }
        if (batch.isEmpty()) {
            flushing.set(false);
            return;
        }
        redis.batch(batch).subscribe().with(ok -> {
            published.increment(batch.size());
            done();
        }, failure -> {
            failed.increment(batch.size());
            LOG.warnf("could not publish %d events: %s", batch.size(), failure.toString());
            done();
        });
    }

    private void done() {
        flushing.set(false);
        if (!queue.isEmpty()) {
            flush();
        }
    }

    public int pending() {
        return size.get();
    }
}

package io.trustplane.common.events;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consumer-group member on one Redis stream. Runs on its own thread: reads batches, hands each entry to
 * the handler, and acknowledges an entry only after the handler returned (so its effect is durable).
 * Entries left pending by a dead member longer than {@code claimIdle} are claimed with XAUTOCLAIM and
 * processed here. Handlers must be idempotent by event id: an entry can be delivered more than once.
 */
public final class StreamConsumer implements AutoCloseable {

    /** Processes one event; throwing leaves the entry pending so it is retried or claimed later. */
    @FunctionalInterface
    public interface Handler {
        void handle(String entryId, EventEnvelope event) throws Exception;
    }

    /** One delivered stream entry. */
    public record Delivery(String entryId, EventEnvelope event) {
    }

    /**
     * Processes a whole batch, typically in one transaction; throwing leaves the batch unacknowledged, after
     * which its entries are retried one by one so that a single bad entry cannot hold the others back.
     */
    @FunctionalInterface
    public interface BatchHandler {
        void handleBatch(List<Delivery> batch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);

    private final StreamCommands<String, String, String> streams;
    private final EventPublisher codec;
    private final String stream;
    private final String group;
    private final String consumer;
    private final BatchHandler handler;
    private final int batchSize;
    private final Duration block;
    private final Duration claimIdle;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile long processed;

    /** A member handing entries over one at a time. */
    public StreamConsumer(RedisDataSource redis, EventPublisher codec, String stream, String group,
            String consumer, int batchSize, Duration block, Duration claimIdle, Handler handler) {
        this(redis, codec, stream, group, consumer, batchSize, block, claimIdle, (BatchHandler) batch -> {
            for (Delivery d : batch) {
                handler.handle(d.entryId(), d.event());
            }
        });
    }

    /**
     * A member handing over whole batches. {@code block} must stay below the Redis client's timeout
     * ({@code quarkus.redis.timeout}), or the blocking read times out on the client side.
     */
    public StreamConsumer(RedisDataSource redis, EventPublisher codec, String stream, String group,
            String consumer, int batchSize, Duration block, Duration claimIdle, BatchHandler handler) {
        this.streams = redis.stream(String.class);
        this.codec = codec;
        this.stream = stream;
        this.group = group;
        this.consumer = consumer;
        this.batchSize = batchSize;
        this.block = block;
        this.claimIdle = claimIdle;
        this.handler = handler;
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        thread = new Thread(this::run, "stream-" + stream + "-" + group);
        thread.setDaemon(true);
        thread.start();
    }

    /** Entries this member has processed and acknowledged. */
    public long processed() {
        return processed;
    }

    private void run() {
        long nextClaim = 0;
        try {
            while (running.get()) {
                try {
                    ensureGroup();
                    if (System.nanoTime() >= nextClaim) {
                        claimAbandoned();
                        nextClaim = System.nanoTime() + claimIdle.toNanos() / 2;
                    }
                    List<StreamMessage<String, String, String>> batch = streams.xreadgroup(group, consumer, stream,
                            ">", new XReadGroupArgs().count(batchSize).block(block));
                    if (batch != null && !batch.isEmpty()) {
                        process(batch);
                    }
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        break;
                    }
                    groupReady = false;
                    LOG.warnf("consumer %s on %s/%s: %s; retrying", consumer, stream, group, e.toString());
                    pause(Duration.ofMillis(500));
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private volatile boolean groupReady;

    private void ensureGroup() {
        if (groupReady) {
            return;
        }
        try {
            streams.xgroupCreate(stream, group, "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    private void claimAbandoned() {
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String, String> claimed = streams.xautoclaim(stream, group, consumer, claimIdle,
                    cursor, batchSize);
            if (claimed == null) {
                return;
            }
            if (!claimed.getMessages().isEmpty()) {
                LOG.infof("consumer %s claimed %d abandoned entries on %s", consumer, claimed.getMessages().size(),
                        stream);
                process(claimed.getMessages());
            }
            cursor = claimed.getId();
        } while (running.get() && cursor != null && !"0-0".equals(cursor));
    }

    private void process(List<StreamMessage<String, String, String>> batch) {
        List<Delivery> deliveries = new ArrayList<>(batch.size());
        List<String> unreadable = new ArrayList<>();
        for (StreamMessage<String, String, String> message : batch) {
            String json = message.payload() == null ? null : message.payload().get(Streams.FIELD);
            try {
                if (json == null) {
                    unreadable.add(message.id());
                } else {
                    deliveries.add(new Delivery(message.id(), codec.fromJson(json)));
                }
            } catch (RuntimeException e) {
                LOG.warnf("event %s on %s is not an event envelope; acknowledged and skipped: %s", message.id(),
                        stream, e.toString());
                unreadable.add(message.id());
            }
        }
        List<String> done = new ArrayList<>(unreadable);
        try {
            if (!deliveries.isEmpty()) {
                handler.handleBatch(deliveries);
            }
            deliveries.forEach(d -> done.add(d.entryId()));
        } catch (Exception batchFailure) {
            if (deliveries.size() > 1) {
                for (Delivery d : deliveries) {
                    try {
                        handler.handleBatch(List.of(d));
                        done.add(d.entryId());
                    } catch (Exception e) {
                        // left pending: retried after claimIdle, by this member or another
                        LOG.warnf("event %s on %s not processed: %s", d.entryId(), stream, e.toString());
                    }
                }
            } else {
                LOG.warnf("event %s on %s not processed: %s", deliveries.get(0).entryId(), stream,
                        batchFailure.toString());
            }
        }
        if (!done.isEmpty()) {
            streams.xack(stream, group, done.toArray(String[]::new));
            processed += done.size();
        }
    }

    /** Stops taking new entries, finishes and acknowledges the batch in hand, then returns. */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        try {
            if (!stopped.await(block.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                LOG.warnf("consumer %s on %s did not stop in time", consumer, stream);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class);

    private final StreamCommands<String, String, String> streams;
    private final EventPublisher codec;
    private final String stream;
    private final String group;
    private final String consumer;
    private final Handler handler;
    private final int batchSize;
    private final Duration block;
    private final Duration claimIdle;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile long processed;

    public StreamConsumer(RedisDataSource redis, EventPublisher codec, String stream, String group,
            String consumer, int batchSize, Duration block, Duration claimIdle, Handler handler) {
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
        List<String> done = new ArrayList<>(batch.size());
        for (StreamMessage<String, String, String> message : batch) {
            String json = message.payload() == null ? null : message.payload().get(Streams.FIELD);
            try {
                if (json != null) {
                    handler.handle(message.id(), codec.fromJson(json));
                }
                done.add(message.id());
            } catch (Exception e) {
                // left pending: retried after claimIdle, by this member or another
                LOG.warnf("event %s on %s not processed: %s", message.id(), stream, e.toString());
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

package io.trustplane.common.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves committed rows of {@code event_outbox} to their Redis streams, oldest first. One round is one PostgreSQL
 * transaction: take the outbox's advisory lock (try, never wait: another replica relaying is fine), read a batch in
 * id order, XADD it in one pipelined Redis batch, delete the rows, commit. So any number of replicas can run a
 * relay, only one relays at a time, and rows leave in id order: events of one aggregate (a task, a lease key, an
 * agent, a flag), whose transactions are serialized by that aggregate's row locks, leave in the order they were
 * committed. A failure (Redis away, a crash between XADD and commit) rolls the round back and the rows are sent
 * again: at-least-once, consumers are idempotent by event id. Failed rounds back off exponentially up to a bound.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

    /** Tuning: rows per round, idle poll, backoff bounds, the advisory lock key and the streams' MAXLEN. */
    public record Settings(int batchSize, Duration poll, Duration minBackoff, Duration maxBackoff, long lockKey,
            long maxLen) {
    }

    /** Test hook run after the XADDs and before the rows are deleted; throwing simulates a crash there. */
    @FunctionalInterface
    public interface AfterAppend {
        void run(List<Long> ids);
    }

    private final Pool pool;
    private final Redis redis;
    private final Settings settings;
    private final String maxLen;
    private final Counter relayed;
    private final Counter failures;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object monitor = new Object();
    private boolean woken;
    private volatile AfterAppend afterAppend = ids -> {
    };

    public OutboxRelay(Pool pool, Redis redis, Settings settings, MeterRegistry registry) {
        this.pool = pool;
        this.redis = redis;
        this.settings = settings;
        this.maxLen = Long.toString(settings.maxLen());
        this.relayed = registry.counter("trustplane_outbox_relayed_total");
        this.failures = registry.counter("trustplane_outbox_relay_failures_total");
    }

    /** Replaces the hook run between XADD and delete (tests). */
    public void afterAppend(AfterAppend hook) {
        this.afterAppend = hook;
    }

    public void start(String name) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::run, "outbox-relay-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Rows were committed on this replica: relay now instead of at the next poll. */
    public void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    private void run() {
        Duration backoff = settings.minBackoff();
        try {
            while (running.get()) {
                try {
                    int sent = relayOnce();
                    backoff = settings.minBackoff();
                    if (sent < settings.batchSize()) {
                        pause(settings.poll()); // a full batch means more may be waiting: go again at once
                    }
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        break;
                    }
                    failures.increment();
                    LOG.warnf("outbox relay: round failed, retrying in %d ms: %s", backoff.toMillis(), e.toString());
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                            : backoff.multipliedBy(2);
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /**
     * One round (blocking): the number of rows sent, 0 when the outbox is empty or another replica holds the lock.
     * Three statements besides BEGIN and COMMIT, the lock and the read sent together.
     */
    public int relayOnce() {
        Integer sent = pool.withTransaction(conn -> {
            Uni<Boolean> locked = conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                    .execute(Tuple.of(settings.lockKey())).map(rows -> rows.iterator().next().getBoolean(0));
            Uni<RowSet<Row>> batch = conn.preparedQuery("SELECT id, stream, payload FROM event_outbox ORDER BY id "
                    + "LIMIT $1").execute(Tuple.of(settings.batchSize()));
            return Uni.combine().all().unis(locked, batch).asTuple().chain(t -> {
                if (!t.getItem1() || t.getItem2().size() == 0) {
                    return Uni.createFrom().item(0);
                }
                List<Request> xadds = new ArrayList<>(t.getItem2().size());
                List<Long> ids = new ArrayList<>(t.getItem2().size());
                for (Row r : t.getItem2()) {
                    ids.add(r.getLong("id"));
                    xadds.add(xadd(r.getString("stream"), r.getString("payload"), maxLen));
                }
                return redis.batch(xadds)
                        .invoke(ok -> afterAppend.run(ids))
                        .chain(ok -> conn.preparedQuery("DELETE FROM event_outbox WHERE id = ANY($1)")
                                .execute(Tuple.of(ids.toArray(Long[]::new))))
                        .replaceWith(ids.size());
            });
        }).await().atMost(ROUND_TIMEOUT);
        relayed.increment(sent);
        return sent;
    }

    /** One stream entry as every producer appends it: the envelope's JSON in one field, the stream capped near maxLen. */
    static Request xadd(String stream, String payload, String maxLen) {
        return Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(maxLen).arg("*").arg(Streams.FIELD)
                .arg(payload);
    }

    /** Rows not yet relayed (for health and tests). */
    public long backlog() {
        return pool.query("SELECT count(*) FROM event_outbox").execute()
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(ROUND_TIMEOUT);
    }

    private void pause(Duration d) {
        synchronized (monitor) {
            if (!woken && running.get()) {
                try {
                    monitor.wait(Math.max(1, d.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.set(false);
                }
            }
            woken = false;
        }
    }

    /** Stops after the round in hand; what is left stays in the outbox for the next start or another replica. */
    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        wake();
        try {
            if (!stopped.await(ROUND_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("outbox relay did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

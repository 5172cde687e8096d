package io.trustplane.common.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Writes durable events into the producer's {@code event_outbox} table (see {@link OutboxRelay}). Inside a
 * transaction the write is one INSERT for all the transaction's events, sent with the transaction's other
 * statements so it commits or rolls back with the state change it describes; an anchored event becomes two rows
 * (tp:events and tp:anchor) carrying the same envelope and id.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    static final String INSERT = "INSERT INTO event_outbox (stream, payload) "
            + "SELECT s, p FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(s, p, n) ORDER BY n";

    /** One event to write: its envelope's id, time and subject, and the record. */
    public record Pending(String id, Instant time, String subject, DomainEvent event) {
    }

    /**
     * Where {@link #writeNow} appends events that need no anchor: the suite's Redis, bounded by {@code deadline}, the
     * streams capped near {@code maxLen} as the relay caps them.
     */
    public record Direct(Redis redis, Duration deadline, long maxLen) {
    }

    private final EventCodec codec;
    private final Pool pool;
    private final Runnable wake;
    private final Function<Pending, String> anchorJson;
    private final Direct direct;

    /** An outbox whose {@code tp:anchor} rows carry the same JSON as the others (no anchor tag: tests). */
    public Outbox(EventCodec codec, Pool pool, Runnable wake) {
        this(codec, pool, wake, p -> codec.toJson(codec.outgoing(p)), null);
    }

    /**
     * An outbox whose {@code tp:anchor} rows are written as {@code anchorJson} renders them: the envelope with this
     * service's anchor tag ({@link AnchorAuth}), stored tagged so the relay needs no key and a replay is identical.
     * With {@code direct}, {@link #writeNow} appends events without an anchor to their stream itself and writes rows
     * only for what Redis does not take; without it (null), every event is a row.
     */
    public Outbox(EventCodec codec, Pool pool, Runnable wake, Function<Pending, String> anchorJson, Direct direct) {
        this.codec = codec;
        this.pool = pool;
        this.wake = wake;
        this.anchorJson = anchorJson;
        this.direct = direct;
    }

    /** An event with a fresh id (UUIDv7) stamped now. */
    public static Pending event(String subject, DomainEvent event) {
        return new Pending(UuidV7.next().toString(), Instant.now().truncatedTo(ChronoUnit.MICROS), subject, event);
    }

    /** Writes the events inside {@code conn}'s transaction (one statement); call {@link #committed()} after commit. */
    public Uni<Void> write(SqlClient conn, List<Pending> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> streams = new ArrayList<>(events.size() + 2);
        List<String> payloads = new ArrayList<>(events.size() + 2);
        for (Pending p : events) {
            String json = codec.toJson(codec.outgoing(p));
            for (String stream : p.event().eventType().streams()) {
                streams.add(stream);
                payloads.add(Streams.ANCHOR.equals(stream) ? anchorJson.apply(p) : json);
            }
        }
        return conn.preparedQuery(INSERT)
                .execute(Tuple.of(streams.toArray(String[]::new), payloads.toArray(String[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> write(SqlClient conn, Pending... events) {
        return write(conn, List.of(events));
    }

    /** Tells this replica's relay that rows were committed, so they leave now rather than at the next poll. */
    public void committed() {
        wake.run();
    }

    /**
     * Writes events that belong to no transaction (a refused request records its refusal) without making the caller
     * wait. One write is in flight at a time and what arrives meanwhile goes out together in the next one (at most
     * {@link #MAX_BATCH} events), in arrival order: idle, an event leaves at once; under load, a thousand refusals a
     * second cost a few writes, not a thousand.
     * <p>
     * Such an event records no PostgreSQL state, so with {@link Direct} a batch of events without an anchor is
     * appended to the stream straight away (one pipelined XADD per batch, no commit and no relay round) and becomes
     * outbox rows only when Redis does not take it within the deadline: nothing is lost when Redis blips, and an
     * append that Redis applied after all is sent again by the relay with the same ids (consumers are idempotent by
     * id). Anchored events (provenance keeps their order per aggregate) are always rows, one INSERT and one commit per
     * batch. A failure of that write (PostgreSQL unreachable) is logged.
     */
    public void writeNow(List<Pending> events) {
        waiting.addAll(events);
        drain();
    }

    /** The most events one {@link #writeNow} statement carries. */
    static final int MAX_BATCH = 500;

    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    private void drain() {
        while (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            List<Pending> batch = new ArrayList<>();
            for (Pending p; batch.size() < MAX_BATCH && (p = waiting.poll()) != null; ) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                writing.set(false);
                continue; // another drain took them: look again
            }
            send(batch).subscribe().with(x -> {
                writing.set(false);
                drain();
            }, failure -> {
                LOG.warnf("could not write %d events to the outbox: %s", batch.size(), failure.toString());
                writing.set(false);
                drain();
            });
            return;
        }
    }

    private Uni<Void> send(List<Pending> batch) {
        if (direct == null) {
            return rows(batch);
        }
        List<Pending> straight = new ArrayList<>(batch.size());
        List<Pending> anchored = new ArrayList<>();
        for (Pending p : batch) {
            (p.event().eventType().streams().contains(Streams.ANCHOR) ? anchored : straight).add(p);
        }
        Uni<Void> appended = straight.isEmpty() ? Uni.createFrom().voidItem() : append(straight)
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Redis did not take %d events (%s): writing them to the outbox", straight.size(),
                            failure.toString());
                    return rows(straight);
                });
        return anchored.isEmpty() ? appended : appended.chain(() -> rows(anchored));
    }

    private Uni<Void> rows(List<Pending> batch) {
        return write(pool, batch).invoke(this::committed);
    }

    private Uni<Void> append(List<Pending> batch) {
        String maxLen = Long.toString(direct.maxLen());
        List<Request> xadds = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            String json = codec.toJson(codec.outgoing(p));
            for (String stream : p.event().eventType().streams()) {
                xadds.add(OutboxRelay.xadd(stream, json, maxLen));
            }
        }
        return direct.redis().batch(xadds).ifNoItem().after(direct.deadline()).fail().replaceWithVoid();
    }

    public void writeNow(String subject, DomainEvent event) {
        writeNow(List.of(event(subject, event)));
    }
}

package io.trustplane.telemetry;

import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.events.Streams;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Publishes events onto tp:events like the other services do, and waits until telemetry has stored them. */
public final class TestSupport {

    private TestSupport() {
    }

    /**
     * Publishes a catalogue record in the envelope its producer writes (the same codec, a fresh id), as the producer's
     * outbox relay would: consumer tests feed the records producers make, never hand-written maps.
     */
    public static EventEnvelope publish(EventPublisher publisher, String subject, DomainEvent event) {
        Outbox.Pending p = Outbox.event(subject, event);
        EventEnvelope e = publisher.codec().envelope(p);
        publisher.publish(Streams.EVENTS, e).await().atMost(Duration.ofSeconds(5));
        return e;
    }

    public static List<EventEnvelope> publishMany(EventPublisher publisher, int n, String subject, DomainEvent event) {
        List<EventEnvelope> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(publish(publisher, subject, event));
        }
        return out;
    }

    /** An envelope of a type outside the catalogue (a newer producer's), for the tests of how it is skipped. */
    public static EventEnvelope publishUnknown(EventPublisher publisher, String type, String subject,
            Map<String, Object> data) {
        EventEnvelope e = EventEnvelope.of(type, "newer-producer", subject, data);
        publisher.publish(Streams.EVENTS, e).await().atMost(Duration.ofSeconds(5));
        return e;
    }

    /** Waits until every event's id is in processed_events (its effect committed). */
    public static void awaitProcessed(Pool pool, List<EventEnvelope> events) {
        String[] ids = events.stream().map(EventEnvelope::id).toArray(String[]::new);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool
                .preparedQuery("SELECT count(*) AS n FROM processed_events WHERE event_id = ANY($1::text[])")
                .execute(Tuple.of(ids)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong("n") == ids.length);
    }

    public static long scalar(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    public static void exec(Pool pool, String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(5));
    }
}

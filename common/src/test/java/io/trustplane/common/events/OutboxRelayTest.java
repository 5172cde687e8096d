package io.trustplane.common.events;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trustplane.testing.Concurrently;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.PgEndpoint;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The relay against real PostgreSQL and Redis: committed rows leave in order and are deleted, rolled-back rows never
 * leave, a Redis outage delays delivery and loses nothing, a crash between XADD and delete duplicates entries on the
 * stream (same event ids) and nothing else, and two relays running at once keep every aggregate's order.
 */
class OutboxRelayTest {

    private static final String DB = "trustplane_outbox_relay_test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Infrastructure infra;
    private static Vertx vertx;
    private static Pool pool;
    private static Redis redis;

    private final EventCodec codec = new EventCodec(EventCatalogueTest.MAPPER, "test-service");
    private final List<OutboxRelay> relays = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private Outbox outbox;

    @BeforeAll
    static void start() throws Exception {
        infra = Infrastructure.acquireShared();
        infra.createDatabase(DB);
        PgEndpoint pg = infra.postgres();
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        props.setProperty("password", pg.password());
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), props); Statement s = c.createStatement()) {
            // the table every producing service creates in its own migration (lease-service V10__event_outbox.sql)
            s.execute("CREATE TABLE IF NOT EXISTS event_outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "stream text NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
        }
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8))
                .connectingTo(new PgConnectOptions().setHost(pg.host()).setPort(pg.port()).setUser(pg.user())
                        .setPassword(pg.password()).setDatabase(DB))
                .using(vertx).build();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(infra.redisUrl())
                .setMaxPoolWaiting(1000));
    }

    @AfterAll
    static void stop() {
        redis.close();
        pool.closeAndAwait();
        vertx.closeAndAwait();
        Infrastructure.releaseShared();
    }

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE event_outbox").execute().await().atMost(WAIT);
        redis.send(Request.cmd(Command.FLUSHALL)).await().atMost(WAIT);
        registry = new SimpleMeterRegistry();
        outbox = new Outbox(codec, pool, () -> relays.forEach(OutboxRelay::wake));
    }

    @AfterEach
    void stopRelays() {
        relays.forEach(OutboxRelay::close);
        relays.clear();
    }

    private OutboxRelay relay(int batchSize) {
        OutboxRelay r = new OutboxRelay(pool, redis, new OutboxRelay.Settings(batchSize, Duration.ofMillis(50),
                Duration.ofMillis(50), Duration.ofMillis(400), 4242L, 100_000), registry);
        relays.add(r);
        return r;
    }

    /** Commits one transaction writing {@code events}, as a producer's state change does. */
    private void commit(Outbox.Pending... events) {
        pool.withTransaction(conn -> outbox.write(conn, events)).await().atMost(WAIT);
        outbox.committed();
    }

    private static Outbox.Pending acquired(String taskId, long token) {
        return Outbox.event("agent-" + taskId, new DomainEvent.LeaseAcquired("lease-" + token, taskId, "SPEC",
                "agent-" + taskId, token));
    }

    private List<EventEnvelope> read(String stream) {
        Response r = redis.send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+")).await().atMost(WAIT);
        List<EventEnvelope> out = new ArrayList<>();
        for (Response entry : r) {
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if (Streams.FIELD.equals(fields.get(i).toString())) {
                    out.add(codec.fromJson(fields.get(i + 1).toString()));
                }
            }
        }
        return out;
    }

    private long backlog() {
        return pool.query("SELECT count(*) FROM event_outbox").execute()
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(WAIT);
    }

    /** {@code writers} threads at once, each writing its task's events 1..{@code each} one {@code writeNow} at a time. */
    private static void writeNowFromThreads(Outbox target, int writers, int each, String prefix,
            BiFunction<String, Long, Outbox.Pending> event) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Concurrently.run(writers, () -> {
            String task = prefix + next.getAndIncrement();
            for (long i = 1; i <= each; i++) {
                target.writeNow(List.of(event.apply(task, i)));
            }
            return null;
        });
    }

    @Test
    void refusalsWrittenNowFromManyThreadsAllArriveInEachWritersOrderInFewerStatementsThanEvents() throws Exception {
        // the rows' ids (an identity column) say which INSERT wrote them: one statement's rows are consecutive and
        // share its transaction's xmin; so the number of distinct xmin values is the number of statements
        int writers = 8;
        int each = 250;
        writeNowFromThreads(outbox, writers, each, "now-", OutboxRelayTest::acquired);
        await().atMost(WAIT).untilAsserted(() -> assertThat(backlog()).isEqualTo((long) writers * each));
        // per writer, the fencing tokens appear in the order written
        var rows = pool.query("SELECT payload, xmin::text AS tx FROM event_outbox ORDER BY id").execute()
                .await().atMost(WAIT);
        Map<String, Long> last = new HashMap<>();
        Set<String> statements = new HashSet<>();
        for (var row : rows) {
            EventEnvelope e = codec.fromJson(row.getString("payload"));
            long token = ((Number) e.data().get("fencingToken")).longValue();
            String taskId = (String) e.data().get("taskId");
            assertThat(token).as(taskId).isEqualTo(last.getOrDefault(taskId, 0L) + 1);
            last.put(taskId, token);
            statements.add(row.getString("tx"));
        }
        assertThat(last).hasSize(writers).allSatisfy((task, token) -> assertThat(token).isEqualTo((long) each));
        assertThat(statements).hasSizeLessThan(writers * each);
    }

    private Outbox outboxAppendingTo(Redis target, Duration deadline) {
        return new Outbox(codec, pool, () -> relays.forEach(OutboxRelay::wake), p -> codec.toJson(codec.outgoing(p)),
                new Outbox.Direct(target, deadline, 100_000));
    }

    /** A refusal that needs no anchor; {@code n} orders one writer's events. */
    private static Outbox.Pending contended(String taskId, long n) {
        return Outbox.event("agent-" + taskId, new DomainEvent.LeaseContended(taskId, "SPEC", Long.toString(n)));
    }

    private static long order(EventEnvelope e, EventCodec codec) {
        return Long.parseLong(((DomainEvent.LeaseContended) codec.decode(e).orElseThrow()).holder());
    }

    @Test
    void refusalsWrittenNowGoStraightToTheirStreamInEachWritersOrderAndAnchoredOnesThroughTheOutbox() throws Exception {
        Outbox direct = outboxAppendingTo(redis, Duration.ofSeconds(5));
        int writers = 8;
        int each = 250;
        writeNowFromThreads(direct, writers, each, "writer-", OutboxRelayTest::contended);
        await().atMost(WAIT).until(() -> read(Streams.EVENTS).size() == writers * each);
        Map<String, Long> last = new HashMap<>();
        for (EventEnvelope e : read(Streams.EVENTS)) {
            String taskId = ((DomainEvent.LeaseContended) codec.decode(e).orElseThrow()).taskId();
            assertThat(order(e, codec)).as(taskId).isEqualTo(last.getOrDefault(taskId, 0L) + 1);
            last.put(taskId, order(e, codec));
        }
        assertThat(last).hasSize(writers).allSatisfy((task, n) -> assertThat(n).isEqualTo((long) each));
        assertThat(backlog()).as("no row was written for them").isZero();

        // an anchored refusal is a row: provenance receives anchored events through the relay, in commit order
        direct.writeNow("agent-9", new DomainEvent.RoleGateDenied("ev-1", "writer", "DENY", "KERNEL", "tier", "r1", 3,
                null, "BASIC", null, null, null, null));
        await().atMost(WAIT).until(() -> backlog() == 2); // its tp:events and tp:anchor rows
        assertThat(read(Streams.ANCHOR)).isEmpty();
    }

    @Test
    void refusalsRedisDoesNotTakeInTimeBecomeOutboxRowsAndLeaveWithTheRelayInOrder() throws Exception {
        // a "Redis" that accepts connections and never answers: the direct append waits out its deadline
        try (ServerSocket stalled = new ServerSocket(Infrastructure.freePort(), 50, InetAddress.getLoopbackAddress())) {
            Redis silent = Redis.createClient(vertx, new RedisOptions()
                    .setConnectionString("redis://127.0.0.1:" + stalled.getLocalPort()));
            try {
                Outbox direct = outboxAppendingTo(silent, Duration.ofMillis(300));
                for (int i = 1; i <= 20; i++) {
                    direct.writeNow(List.of(contended("stalled", i)));
                }
                await().atMost(WAIT).until(() -> backlog() == 20);
                assertThat(read(Streams.EVENTS)).isEmpty();
            } finally {
                silent.close();
            }
        }
        assertThat(relay(500).relayOnce()).isEqualTo(20);
        assertThat(read(Streams.EVENTS)).extracting(e -> order(e, codec))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void committedRowsLeaveInOrderOnTheirStreamsAndAreDeletedRolledBackRowsNever() {
        commit(acquired("t1", 1), acquired("t1", 2));
        commit(Outbox.event("agent-9", new DomainEvent.RoleGateDenied("ev-1", "writer", "DENY", "KERNEL", "tier",
                "r1", 3, null, "BASIC", null, null, null, null)));
        assertThatThrownBy(() -> pool.withTransaction(conn -> outbox.write(conn, acquired("t1", 99))
                .chain(x -> conn.query("SELECT 1/0").execute())).await().atMost(WAIT)).isNotNull();

        assertThat(relay(500).relayOnce()).isEqualTo(4); // two leases, and the denial on both streams
        List<EventEnvelope> events = read(Streams.EVENTS);
        assertThat(events).extracting(EventEnvelope::type)
                .containsExactly("lease.acquired", "lease.acquired", "role_gate.denied");
        assertThat(events).extracting(e -> codec.decode(e).orElseThrow())
                .filteredOn(e -> e instanceof DomainEvent.LeaseAcquired)
                .extracting(e -> ((DomainEvent.LeaseAcquired) e).fencingToken()).containsExactly(1L, 2L);
        List<EventEnvelope> anchors = read(Streams.ANCHOR);
        assertThat(anchors).extracting(EventEnvelope::id).containsExactly(events.get(2).id());
        assertThat(backlog()).isZero();
        assertThat(relays.get(0).relayOnce()).isZero();
    }

    @Test
    void aRedisOutageDelaysEventsAndLosesNone() {
        OutboxRelay relay = relay(50);
        relay.start("outage");
        commit(acquired("before", 1));
        await().atMost(WAIT).until(() -> read(Streams.EVENTS).size() == 1);

        infra.stopRedis();
        try {
            for (int i = 0; i < 120; i++) {
                commit(acquired("during-" + (i % 7), i));
            }
            // the relay tried while Redis was away and backed off; nothing was lost from the outbox
            await().atMost(WAIT).until(() -> registry.counter("trustplane_outbox_relay_failures_total").count() >= 3);
            assertThat(backlog()).isEqualTo(120);
        } finally {
            infra.startRedis();
        }
        // the embedded Redis keeps an append-only file, so the event sent before the outage may be there again;
        // what counts is that every event committed during it arrived once, in order
        await().atMost(WAIT).until(() -> backlog() == 0);
        List<EventEnvelope> all = read(Streams.EVENTS);
        List<EventEnvelope> events = all.stream().filter(e -> ((DomainEvent.LeaseAcquired) codec.decode(e)
                .orElseThrow()).taskId().startsWith("during-")).toList();
        assertThat(all.size() - events.size()).as("the event sent before the outage, at most once").isLessThanOrEqualTo(1);
        assertThat(events).hasSize(120);
        assertThat(events.stream().map(EventEnvelope::id).distinct().count()).isEqualTo(120);
        assertThat(events).extracting(e -> ((DomainEvent.LeaseAcquired) codec.decode(e).orElseThrow()).fencingToken())
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 120).boxed().toList());
    }

    @Test
    void aCrashBetweenAppendAndDeleteSendsTheSameEventsAgainUnderTheSameIds() {
        commit(acquired("t1", 1), acquired("t2", 1), acquired("t1", 2));
        OutboxRelay relay = relay(500);
        AtomicBoolean crashed = new AtomicBoolean();
        relay.afterAppend(ids -> {
            if (crashed.compareAndSet(false, true)) {
                throw new IllegalStateException("relay killed after XADD, before its rows were deleted");
            }
        });
        assertThatThrownBy(relay::relayOnce).hasMessageContaining("relay killed");
        assertThat(backlog()).isEqualTo(3);
        assertThat(relay.relayOnce()).isEqualTo(3);
        assertThat(backlog()).isZero();

        List<EventEnvelope> events = read(Streams.EVENTS);
        assertThat(events).hasSize(6);
        // the duplicates carry the ids of the first sends, in the same order: consumers drop them by id
        assertThat(events.subList(3, 6)).extracting(EventEnvelope::id)
                .containsExactlyElementsOf(events.subList(0, 3).stream().map(EventEnvelope::id).toList());
        assertThat(events.stream().map(EventEnvelope::id).distinct().count()).isEqualTo(3);
    }

    @Test
    void twoRelaysAtOnceKeepEveryAggregatesOrderAndSendEachEventOnce() throws Exception {
        relay(7).start("one");
        relay(7).start("two");
        int aggregates = 6;
        int perAggregate = 40;
        List<Thread> writers = new ArrayList<>();
        for (int a = 0; a < aggregates; a++) {
            String taskId = "agg-" + a;
            Thread w = new Thread(() -> {
                for (int seq = 0; seq < perAggregate; seq++) {
                    commit(acquired(taskId, seq)); // one aggregate's transactions follow each other, as row locks make them
                }
            });
            writers.add(w);
            w.start();
        }
        for (Thread w : writers) {
            w.join(WAIT.toMillis());
        }
        await().atMost(WAIT).until(() -> backlog() == 0);
        List<EventEnvelope> events = read(Streams.EVENTS);
        assertThat(events).hasSize(aggregates * perAggregate);
        Set<String> ids = new HashSet<>();
        Map<String, List<Long>> order = new HashMap<>();
        for (EventEnvelope e : events) {
            assertThat(ids.add(e.id())).as("sent once: " + e.id()).isTrue();
            DomainEvent.LeaseAcquired l = (DomainEvent.LeaseAcquired) codec.decode(e).orElseThrow();
            order.computeIfAbsent(l.taskId(), k -> new ArrayList<>()).add(l.fencingToken());
        }
        List<Long> expected = java.util.stream.LongStream.range(0, perAggregate).boxed().toList();
        assertThat(order).hasSize(aggregates);
        order.forEach((task, tokens) -> assertThat(tokens).as(task).containsExactlyElementsOf(expected));
    }
}

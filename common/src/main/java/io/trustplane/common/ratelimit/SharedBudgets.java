package io.trustplane.common.ratelimit;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.redis.LuaScript;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Makes a caller's rate limit hold across the replicas of a service, without a Redis call on the request path.
 * Each caller has one GCRA cell in Redis (its theoretical arrival time, as {@link TokenBucket} keeps locally).
 * Every {@code syncInterval} a replica sends, in one pipelined batch, what it admitted per caller since the last
 * sync; a script adds that to the cell and answers how many tokens the bucket holds now and how many replicas
 * are drawing on it. The replica may then admit its share (tokens / replicas) until the next sync, counting
 * locally. Admissions beyond the shared bucket (while shares were stale) push the cell into debt, which later
 * shares repay, so the sum over replicas tracks the configured rate over time.
 * <p>
 * Bursts after a pause are split too: the same batch counts the service's live replicas (a heartbeat hash), and a
 * caller new to a replica starts with a provisional share of one burst divided by that count, as does a caller that
 * went idle with a larger share left. A caller is remembered until its cell is full again, so a debt is repaid
 * before its replicas forget it. Together the replicas thus admit at most one burst beyond the rate per pause. Only
 * a replica that has not yet heard from Redis, or is cut off from it, falls back to its own bucket: availability
 * over a strict global figure.
 */
public final class SharedBudgets {

    /**
     * KEYS[1] the caller's cell (hash: "tat" and one "r:&lt;replica&gt;" field per replica with demand).
     * ARGV: now µs, admitted since last sync, emission interval µs, capacity µs (burst), replica id, active µs,
     * idle grace ms (how long an untouched cell outlives the time it takes to fill up again).
     * Returns {tokens available now, replicas with demand within the active window}.
     */
    static final String SCRIPT = """
            local now = tonumber(ARGV[1])
            local interval = tonumber(ARGV[3])
            local capacity = tonumber(ARGV[4])
            local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or '0')
            if tat < now then tat = now end
            tat = tat + tonumber(ARGV[2]) * interval
            redis.call('HSET', KEYS[1], 'tat', tat, 'r:' .. ARGV[5], now)
            local active = 0
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              if string.sub(fields[i], 1, 2) == 'r:' then
                if tonumber(fields[i + 1]) >= now - tonumber(ARGV[6]) then
                  active = active + 1
                else
                  redis.call('HDEL', KEYS[1], fields[i])
                end
              end
            end
            redis.call('PEXPIRE', KEYS[1], math.ceil((tat - now) / 1000) + tonumber(ARGV[7]))
            return {math.floor((now + capacity - tat) / interval), active}
            """;

    /**
     * KEYS[1] the service's replica heartbeats (hash: replica id → last sync µs). ARGV: now µs, replica id, live µs.
     * Returns the number of replicas that synced within the live window, this one included.
     */
    static final String REPLICAS_SCRIPT = """
            local now = tonumber(ARGV[1])
            redis.call('HSET', KEYS[1], ARGV[2], now)
            local live = 0
            local fields = redis.call('HGETALL', KEYS[1])
            for i = 1, #fields, 2 do
              if tonumber(fields[i + 1]) >= now - tonumber(ARGV[3]) then
                live = live + 1
              else
                redis.call('HDEL', KEYS[1], fields[i])
              end
            end
            redis.call('PEXPIRE', KEYS[1], 2 * math.ceil(tonumber(ARGV[3]) / 1000))
            return live
            """;

    private static final LuaScript SYNC = LuaScript.of(SCRIPT);
    private static final LuaScript REPLICAS = LuaScript.of(REPLICAS_SCRIPT);

    /**
     * A replica counts as live for this many sync intervals after its last sync: a slow sync or a clock difference
     * between replicas never makes a live one look dead (which would enlarge provisional shares); a dead one only
     * shrinks them for a second.
     */
    static final int LIVE_SYNCS = 10;

    /**
     * A cell is dropped this long after its bucket is full again: by then it holds nothing a new cell would not. A
     * minute, not zero, so replicas' clock differences and a slow sync never drop a cell still in use.
     */
    static final long IDLE_GRACE_MILLIS = 60_000;

    private final Redis redis;
    private final String prefix;
    private final String replica;
    private final long syncMicros;
    private final int maxCallers;
    private final LongSupplier microClock;
    private final Duration deadline;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile boolean scriptLoaded;
    /** The service's replicas that synced lately, from the last sync; 0 until this replica first heard from Redis. */
    private volatile long liveReplicas;

    /**
     * @param prefix     Redis key prefix (per service: each service has its own limits)
     * @param replica    this replica's id, unique among the service's replicas
     * @param microClock wall-clock microseconds, the same scale on every replica
     * @param deadline   how long a sync may wait for Redis before this round falls back to local buckets
     */
    public SharedBudgets(Redis redis, String prefix, String replica, Duration syncInterval, int maxCallers,
            LongSupplier microClock, Duration deadline) {
        this.redis = redis;
        this.prefix = prefix;
        this.replica = replica;
        this.syncMicros = syncInterval.toNanos() / 1000;
        this.maxCallers = maxCallers;
        this.microClock = microClock;
        this.deadline = deadline;
    }

    /** One caller's share on this replica: what it may still admit until the next sync, and what it admitted. */
    static final class Budget {
        final TokenBucket.Limit limit;
        /** Tokens this replica may still admit before the next sync; starts at the provisional share. */
        final AtomicLong share;
        final AtomicLong admitted = new AtomicLong();
        volatile boolean demand = true;
        /** When the cell, as the last sync saw it, is full again (µs): the caller is forgotten no earlier. */
        volatile long fullAt;

        Budget(TokenBucket.Limit limit, long share) {
            this.limit = limit;
            this.share = new AtomicLong(share);
        }
    }

    /**
     * Takes one token of {@code key}'s shared budget: true when this replica's share allows the request. No I/O.
     * Call it only for requests the replica's own bucket allowed.
     */
    public boolean admit(String key, TokenBucket.Limit limit) {
        Budget budget = budgets.get(key);
        if (budget == null || budget.limit != limit) {
            if (budget == null && budgets.size() >= maxCallers) {
                return true; // beyond the bound: this caller is limited by the replica's own bucket only
            }
            budget = budgets.compute(key, (k, b) -> b != null && b.limit == limit ? b
                    : new Budget(limit, provisional(limit)));
        }
        budget.demand = true;
        if (budget.share.getAndDecrement() <= 0) {
            budget.share.incrementAndGet();
            return false;
        }
        budget.admitted.incrementAndGet();
        return true;
    }

    /**
     * What a replica may admit for a caller before a sync tells it more: its part of one burst, split over the live
     * replicas (at least one request); the replica's own bucket alone until it first heard from Redis.
     */
    private long provisional(TokenBucket.Limit limit) {
        long live = liveReplicas;
        return live <= 0 ? Long.MAX_VALUE : Math.max(1, limit.burst() / live);
    }

    /** Callers this replica currently shares budgets for. */
    public int size() {
        return budgets.size();
    }

    /**
     * Sends this replica's heartbeat and what was admitted since the last sync for every caller with demand, and
     * adopts the new shares: one pipelined batch. Skipped while the previous one runs. An idle caller keeps no more
     * than its provisional share and is forgotten once its cell is full again.
     */
    public Uni<Void> sync() {
        if (!syncing.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        List<String> keys = new ArrayList<>();
        List<Budget> synced = new ArrayList<>();
        List<Long> sent = new ArrayList<>();
        long now = microClock.getAsLong();
        for (Iterator<Map.Entry<String, Budget>> it = budgets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Budget> e = it.next();
            Budget b = e.getValue();
            if (!b.demand && b.admitted.get() == 0) {
                if (now - b.fullAt >= 0) {
                    it.remove();
                } else {
                    // a share left from busier times must not add up, over the replicas, to more than one burst
                    long provisional = provisional(b.limit);
                    b.share.getAndUpdate(share -> Math.min(share, provisional));
                }
                continue;
            }
            b.demand = false;
            keys.add(e.getKey());
            synced.add(b);
            sent.add(b.admitted.getAndSet(0));
        }
        String active = Long.toString(3 * syncMicros);
        String nowArg = Long.toString(now);
        boolean loaded = scriptLoaded;
        List<Request> batch = new ArrayList<>(keys.size() + 1);
        batch.add(REPLICAS.request(loaded)
                .arg(1).arg(prefix + "replicas").arg(nowArg).arg(replica).arg(LIVE_SYNCS * syncMicros));
        for (int i = 0; i < keys.size(); i++) {
            TokenBucket.Limit limit = synced.get(i).limit;
            batch.add(SYNC.request(loaded)
                    .arg(1).arg(prefix + keys.get(i)).arg(nowArg).arg(sent.get(i))
                    .arg(Math.max(1, limit.intervalNanos() / 1000)).arg(limit.capacityNanos() / 1000)
                    .arg(replica).arg(active).arg(IDLE_GRACE_MILLIS));
        }
        return redis.batch(batch).ifNoItem().after(deadline).fail()
                .invoke(responses -> {
                    scriptLoaded = true;
                    liveReplicas = Math.max(1, responses.get(0).toLong());
                    for (int i = 0; i < synced.size(); i++) {
                        adopt(synced.get(i), responses.get(i + 1), now);
                    }
                })
                .onFailure().invoke(f -> {
                    // NOSCRIPT after a Redis restart: send the script itself next time. Anything else: the
                    // replica's own buckets decide until Redis answers again
                    scriptLoaded = false;
                    liveReplicas = 0;
                    for (int i = 0; i < synced.size(); i++) {
                        synced.get(i).admitted.addAndGet(sent.get(i));
                        synced.get(i).share.set(Long.MAX_VALUE);
                    }
                })
                .replaceWithVoid()
                .eventually(() -> syncing.set(false));
    }

    private static void adopt(Budget budget, Response answer, long now) {
        long tokens = answer.get(0).toLong();
        long replicas = Math.max(1, answer.get(1).toLong());
        long share = tokens <= 0 ? 0 : tokens / replicas;
        // what was admitted while the batch was in flight already came out of the new share
        budget.share.set(share - budget.admitted.get());
        long intervalMicros = Math.max(1, budget.limit.intervalNanos() / 1000);
        budget.fullAt = now + Math.max(0, budget.limit.burst() - tokens) * intervalMicros;
    }
}

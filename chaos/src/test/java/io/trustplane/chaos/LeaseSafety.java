package io.trustplane.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.testing.lease.LeaseAudit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Many agents racing for a few lease keys with one-second TTLs on two lease-service replicas, while an operator
 * force-releases live leases. Each contender is an asynchronous chain (no thread of its own); at most
 * {@code connections} requests are in flight at once. Afterwards {@link #check()} reads the lease table, the
 * per-key fencing counters and the ledger with JDBC and proves that no two valid holders of a key ever
 * overlapped, that fencing tokens strictly increase without gaps, and that every grant, release and forced
 * release a client was told about is recorded.
 */
final class LeaseSafety {

    static final String PHASE = "IMPLEMENT";

    /** A grant a contender was told about (201). */
    record Grant(String leaseId, String taskId, String holder, long token) {
    }

    /** What the check over the database found. */
    record Result(int keysChecked, long leasesChecked, long overlaps, long tokenProblems, long missing,
            long expired, long forceReleased, long released, List<String> samples) {
    }

    private final Cluster cluster;
    private final String tag;
    private final List<String> replicas;
    private final int contenders;
    private final int keys;
    private final int attempts;
    private final Limiter limiter;
    private final ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ConcurrentLinkedDeque<Grant> recent = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final Set<String> forced = ConcurrentHashMap.newKeySet();
    private final AtomicLong renewed = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger attemptsStarted = new AtomicInteger();
    private final Map<Integer, String> tokens = new ConcurrentHashMap<>();

    LeaseSafety(Cluster cluster, String tag, List<String> replicas, int contenders, int keys, int attempts,
            int connections) {
        this.cluster = cluster;
        this.tag = tag;
        this.replicas = replicas;
        this.contenders = contenders;
        this.keys = keys;
        this.attempts = attempts;
        this.limiter = new Limiter(connections);
    }

    String key(int k) {
        return "chaos-safety-" + tag + "-k" + k;
    }

    /** Mints every contender's token up front (RS256 signing is not free). */
    void prepare() {
        for (int i = 0; i < contenders; i++) {
            tokens.put(i, cluster.minter.agent("chaos-c-" + tag + "-" + i));
        }
    }

    /** Starts every contender; the future completes when all have made their attempts. */
    CompletableFuture<Void> start() {
        List<CompletableFuture<Void>> all = new ArrayList<>(contenders);
        for (int i = 0; i < contenders; i++) {
            all.add(contender(i, 0));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Attempts started so far, over {@code contenders * attempts}. */
    double progress() {
        return attemptsStarted.get() / (double) (contenders * attempts);
    }

    private CompletableFuture<Void> contender(int i, int attempt) {
        if (attempt >= attempts) {
            return CompletableFuture.completedFuture(null);
        }
        attemptsStarted.incrementAndGet();
        String token = tokens.get(i);
        String taskId = key(ThreadLocalRandom.current().nextInt(keys));
        int replica = (i + attempt) % replicas.size();
        return send(replica, "POST", "/v1/leases", token, Map.of("taskId", taskId, "phase", PHASE, "ttlSeconds", 1))
                .thenCompose(r -> {
                    if (r.status() == 201) {
                        JsonNode j = r.json();
                        Grant g = new Grant(j.get("leaseId").asText(), j.get("taskId").asText(),
                                j.get("holder").asText(), j.get("fencingToken").asLong());
                        grants.add(g);
                        recent.addLast(g);
                        if (recent.size() > 20) {
                            recent.pollFirst();
                        }
                        return afterGrant(replica, token, g);
                    }
                    if (r.status() == 409) {
                        conflicts.incrementAndGet();
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .thenCompose(x -> contender(i, attempt + 1));
    }

    /** The holder releases (35 %), renews once (20 %) or lets the lease lapse. */
    private CompletableFuture<Void> afterGrant(int replica, String token, Grant g) {
        double roll = ThreadLocalRandom.current().nextDouble();
        if (roll < 0.35) {
            return send(replica, "DELETE", "/v1/leases/" + g.leaseId(), token, null).thenAccept(r -> {
                if (r.status() == 200) {
                    released.add(g.leaseId());
                }
            });
        }
        if (roll < 0.55) {
            return send(replica, "POST", "/v1/leases/" + g.leaseId() + "/renew", token, Map.of("ttlSeconds", 1))
                    .thenAccept(r -> {
                        if (r.status() == 200) {
                            renewed.incrementAndGet();
                        }
                    });
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The operator's move: force-release the newest grant it heard of (409 if it already ended). */
    CompletableFuture<Void> forceReleaseOne() {
        Grant g = recent.pollLast();
        if (g == null) {
            return CompletableFuture.completedFuture(null);
        }
        return send(0, "POST", "/v1/leases/" + g.leaseId() + "/force-release", cluster.operator(),
                Map.of("reason", "chaos: forced expiry")).thenAccept(f -> {
                    if (f.status() == 200) {
                        forced.add(g.leaseId());
                    }
                });
    }

    /**
     * One request through the connection limit, judged; a replica that does not answer (it is being killed) is
     * retried once on the other, as a client with two endpoints would.
     */
    private CompletableFuture<Http.Reply> send(int replica, String method, String path, String token, Object body) {
        String base = replicas.get(replica);
        requests.incrementAndGet();
        boolean urgent = !(method.equals("POST") && path.equals("/v1/leases"));
        return limiter.submit(urgent, () -> cluster.http.sendAsync(method, base + path, token, body)).thenCompose(r -> {
            String key = "lease:" + base.substring(base.lastIndexOf(':') + 1);
            cluster.tally.judge(key, r, 409);
            if (r.failure() == Http.Failure.UNREACHABLE && replicas.size() > 1) {
                return send((replica + 1) % replicas.size(), method, path, token, body);
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    long requests() {
        return requests.get();
    }

    long grants() {
        return grants.size();
    }

    long conflicts() {
        return conflicts.get();
    }

    long renewals() {
        return renewed.get();
    }

    long acknowledged() {
        return grants.size() + released.size() + forced.size() + renewed.get();
    }

    /** The proof over the database: every key of the lease table, and every acknowledged grant and release. */
    Result check() throws Exception {
        // what clients were told before the database is read: an answer arriving during the read is checked later
        List<Grant> grants = new ArrayList<>(this.grants);
        Set<String> released = Set.copyOf(this.released);
        Set<String> forced = Set.copyOf(this.forced);
        LeaseAudit audit = new LeaseAudit();
        long expired = 0;
        Map<String, Long> lastTokens = new HashMap<>();
        try (Connection c = cluster.db(Cluster.LEASE)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, phase, last_token FROM lease_keys");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lastTokens.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, phase, lease_id::text, holder, fencing_token, "
                    + "acquired_at, expires_at, ended_at, status, clock_timestamp() FROM leases "
                    + "ORDER BY task_id, phase, fencing_token"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LeaseAudit.Row row = new LeaseAudit.Row(rs.getString(1) + "/" + rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getObject(6, OffsetDateTime.class),
                            rs.getObject(7, OffsetDateTime.class), rs.getObject(8, OffsetDateTime.class),
                            rs.getString(9));
                    OffsetDateTime now = rs.getObject(10, OffsetDateTime.class);
                    if (row.status().equals("EXPIRED") || (row.status().equals("ACTIVE") && !row.expiresAt().isAfter(now))) {
                        expired++;
                    }
                    audit.add(row);
                }
            }
            audit.checkKeys(lastTokens);
            audit.byKey().forEach((key, rows) -> {
                long active = rows.stream().filter(r -> r.status().equals("ACTIVE")).count();
                if (active > 1) {
                    audit.overlap(key + ": " + active + " ACTIVE leases");
                }
            });
            for (Grant g : grants) {
                audit.checkGrant(g.leaseId(), g.taskId() + "/" + PHASE, g.holder(), g.token(), g);
            }
            for (String id : released) {
                audit.checkReleased(id);
            }
            Set<String> ledgered = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT body::jsonb->'data'->>'leaseId' FROM ledger_entries "
                    + "WHERE kind = 'LEASE_FORCE_RELEASED' AND task_id LIKE ?")) {
                ps.setString(1, "chaos-safety-" + tag + "-%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ledgered.add(rs.getString(1));
                    }
                }
            }
            for (String id : forced) {
                audit.checkForceReleased(id, ledgered.contains(id));
            }
        }
        return new Result(audit.keys(), audit.leases(), audit.overlaps(), audit.tokenProblems(), audit.missing(),
                expired, forced.size(), released.size(), audit.samples());
    }

    /**
     * Lets at most {@code max} asynchronous requests run; the rest queue without blocking a thread. Urgent
     * requests (a holder's release or renewal, the operator's force-release) go before queued acquisitions, as
     * they would on the holder's own connection: behind a thousand queued attempts they would find the lease
     * already lapsed.
     */
    static final class Limiter {

        private final int max;
        private final ConcurrentLinkedQueue<Runnable> urgent = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger running = new AtomicInteger();

        Limiter(int max) {
            this.max = max;
        }

        <T> CompletableFuture<T> submit(boolean isUrgent, Supplier<CompletableFuture<T>> task) {
            CompletableFuture<T> result = new CompletableFuture<>();
            (isUrgent ? urgent : queue).add(() -> task.get().whenComplete((v, e) -> {
                running.decrementAndGet();
                drain();
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            }));
            drain();
            return result;
        }

        private void drain() {
            while (true) {
                int n = running.get();
                if (n >= max || (urgent.isEmpty() && queue.isEmpty())) {
                    return;
                }
                if (running.compareAndSet(n, n + 1)) {
                    Runnable next = urgent.poll();
                    if (next == null) {
                        next = queue.poll();
                    }
                    if (next == null) {
                        running.decrementAndGet();
                        continue;
                    }
                    next.run();
                }
            }
        }
    }
}

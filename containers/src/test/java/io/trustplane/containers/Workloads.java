package io.trustplane.containers;

import io.trustplane.testing.TokenMinter;
import io.trustplane.testing.lease.LeaseAudit;
import io.trustplane.testing.log.Rfc9162;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Request bodies and the lease safety run (the chaos module's LeaseSafety, reduced to base URLs and JDBC). */
final class Workloads {

    private Workloads() {
    }

    static Map<String, Object> provenanceBody(String agent, long n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agent);
        body.put("creationType", "FRESH");
        body.put("contentHash", "sha256:" + HexFormat.of().formatHex(
                Rfc9162.sha256((agent + "/" + n).getBytes(StandardCharsets.UTF_8))));
        body.put("metadata", Map.of("containers", true, "n", n));
        return body;
    }

    /**
     * Many contenders racing for a few lease keys with one-second TTLs through one base URL (the balancer), while an
     * operator force-releases the newest grants. {@link #check} reads the lease table with JDBC: per key, fencing
     * tokens 1, 2, 3, ... in grant order, no lease still valid when the next was granted, the key's counter equal
     * to its grants, and every grant, release and forced release a client was told about (2xx) stored as told.
     */
    static final class LeaseSafety {

        static final String PHASE = "IMPLEMENT";

        record Grant(String leaseId, String taskId, String holder, long token) {
        }

        record Result(int keys, long leases, long overlaps, long tokenProblems, long missing, long grants, long released,
                long forced, List<String> samples) {
        }

        private final Api api;
        private final String base;
        private final TokenMinter minter;
        private final String tag;
        private final ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedDeque<Grant> recent = new ConcurrentLinkedDeque<>();
        private final Set<String> released = ConcurrentHashMap.newKeySet();
        private final Set<String> forced = ConcurrentHashMap.newKeySet();

        LeaseSafety(Api api, String base, TokenMinter minter, String tag) {
            this.api = api;
            this.base = base;
            this.minter = minter;
            this.tag = tag;
        }

        String key(int k) {
            return "containers-safety-" + tag + "-k" + k;
        }

        /** {@code contenders} agents make {@code attempts} attempts each over {@code keys} keys, {@code parallel} at once. */
        void run(int contenders, int keys, int attempts, int parallel) throws InterruptedException {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                tokens.add(minter.agent("containers-c-" + tag + "-" + i));
            }
            String operator = minter.mint("containers-operator", "operator");
            AtomicBoolean done = new AtomicBoolean();
            Thread op = new Thread(() -> {
                while (!done.get()) {
                    Grant g = recent.pollLast();
                    if (g != null) {
                        Api.Reply r = api.post(base + "/v1/leases/" + g.leaseId() + "/force-release", operator,
                                Map.of("reason", "containers safety run"));
                        if (r.ok()) {
                            forced.add(g.leaseId());
                        }
                    }
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "operator");
            op.start();
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            for (int a = 0; a < attempts; a++) {
                for (int i = 0; i < contenders; i++) {
                    String token = tokens.get(i);
                    pool.submit(() -> attempt(token, key(ThreadLocalRandom.current().nextInt(keys))));
                }
            }
            pool.shutdown();
            if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
                pool.shutdownNow();
                throw new AssertionError("lease safety run did not finish in 10 minutes");
            }
            done.set(true);
            op.join();
        }

        private void attempt(String token, String taskId) {
            Api.Reply r = api.post(base + "/v1/leases", token, Map.of("taskId", taskId, "phase", PHASE, "ttlSeconds", 1));
            if (r.status() != 201) {
                return;
            }
            var j = r.json();
            Grant g = new Grant(j.get("leaseId").asText(), j.get("taskId").asText(), j.get("holder").asText(),
                    j.get("fencingToken").asLong());
            grants.add(g);
            recent.addLast(g);
            while (recent.size() > 20) {
                recent.pollFirst();
            }
            double roll = ThreadLocalRandom.current().nextDouble();
            if (roll < 0.35) {
                if (api.send("DELETE", base + "/v1/leases/" + g.leaseId(), token, null).status() == 200) {
                    released.add(g.leaseId());
                }
            } else if (roll < 0.55) {
                api.post(base + "/v1/leases/" + g.leaseId() + "/renew", token, Map.of("ttlSeconds", 1));
            }
        }

        Result check(Connection c) throws Exception {
            List<Grant> grants = new ArrayList<>(this.grants);
            Set<String> released = Set.copyOf(this.released);
            Set<String> forced = Set.copyOf(this.forced);
            LeaseAudit audit = new LeaseAudit();
            Map<String, Long> lastTokens = new HashMap<>();
            String like = "containers-safety-" + tag + "-%";
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, last_token FROM lease_keys WHERE task_id LIKE ?")) {
                ps.setString(1, like);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastTokens.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT task_id, lease_id::text, holder, fencing_token, acquired_at, "
                    + "expires_at, ended_at, status FROM leases WHERE task_id LIKE ? ORDER BY task_id, fencing_token")) {
                ps.setString(1, like);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        audit.add(new LeaseAudit.Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class),
                                rs.getObject(7, OffsetDateTime.class), rs.getString(8)));
                    }
                }
            }
            audit.checkKeys(lastTokens);
            for (Grant g : grants) {
                audit.checkGrant(g.leaseId(), g.taskId(), g.holder(), g.token(), g);
            }
            for (String id : released) {
                audit.checkReleased(id);
            }
            for (String id : forced) {
                audit.checkForceReleased(id, true);
            }
            return new Result(audit.keys(), audit.leases(), audit.overlaps(), audit.tokenProblems(), audit.missing(),
                    grants.size(), released.size(), forced.size(), audit.samples());
        }
    }
}

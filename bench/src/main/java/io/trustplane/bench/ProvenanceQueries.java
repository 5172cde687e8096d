package io.trustplane.bench;

import io.trustplane.launcher.Suite;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TokenMinter;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/provenance} with every filter combination, lineage, single records and inclusion proofs, over a
 * log seeded with {@code BENCH_PROVENANCE_RECORDS} (1,000,000) records. The records enter through the
 * sequencer's own durable queue ({@code pending_record}, where {@code POST /v1/provenance} puts them) with one
 * SQL statement, and the real sequencer integrates them: Merkle tree, leaf rows, signed checkpoints. That keeps
 * the seed minutes instead of the hours a million HTTP round trips would take here, and it measures the
 * sequencer's catch-up rate on the way.
 */
final class ProvenanceQueries {

    static final int RECORDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_PROVENANCE_RECORDS", "1000000"));
    private static final int CHAINS = 200;
    private static final int DEPTH = 10;
    private static final Duration SHORT_WARMUP = Duration.ofSeconds(10);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");

    private final Bench bench;
    private final Suite suite;
    private final Tools tools;
    private final Http http;
    /**
     * {@code BENCH_PROVENANCE_QUERIES}: which of the measurements to run, by the end of their names (comma-separated,
     * e.g. {@code agent-time,lineage-depth-10}); all when unset. An A/B of one listing need not run all ten.
     */
    private static final List<String> ONLY = java.util.Arrays.stream(
            System.getenv().getOrDefault("BENCH_PROVENANCE_QUERIES", "").split(","))
            .map(String::trim).filter(q -> !q.isEmpty()).toList();

    private final List<String> agents;
    private final String admin;
    private final String operator;
    private final String base;

    ProvenanceQueries(Bench bench, Suite suite, Tools tools, Http http, TokenMinter minter, List<String> agents,
            String admin) {
        this.bench = bench;
        this.suite = suite;
        this.tools = tools;
        this.http = http;
        this.agents = agents;
        this.admin = admin;
        this.operator = minter.mint("bench-operator", Duration.ofHours(2), "operator");
        this.base = suite.services().stream().filter(r -> r.spec().shortName().equals("provenance")).findFirst()
                .orElseThrow().url();
    }

    void seedAndRun() throws Exception {
        Instant from = Instant.now().minusSeconds(3600);
        seed();
        List<String> leaves = chains();
        Instant to = Instant.now().plusSeconds(3600);

        List<String> agentTime = new ArrayList<>();
        List<String> agentOnly = new ArrayList<>();
        List<String> typeTime = new ArrayList<>();
        List<String> agentTypeTime = new ArrayList<>();
        List<String> timeOnly = new ArrayList<>();
        String[] types = {"FRESH", "CLONED", "EVOLVED", "PROMOTED", "IMPORTED"};
        for (int i = 0; i < 1000; i++) {
            String agent = agents.get((i * 7) % agents.size());
            String type = types[i % types.length];
            // windows of varying width inside the seeded span, so pages come from all over the indexes
            Instant a = from.plusSeconds(i % 3600);
            agentTime.add("/v1/provenance?agentId=" + agent + "&from=" + from + "&to=" + to);
            agentOnly.add("/v1/provenance?agentId=" + agent);
            typeTime.add("/v1/provenance?creationType=" + type + "&from=" + a + "&to=" + to);
            agentTypeTime.add("/v1/provenance?agentId=" + agent + "&creationType=" + type + "&from=" + from + "&to=" + to);
            timeOnly.add("/v1/provenance?from=" + a + "&to=" + to);
        }
        List<String> nextPages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String first = http.send("GET", base + agentTime.get(i), operator, null);
            Matcher c = CURSOR.matcher(first);
            if (c.find()) {
                nextPages.add(agentTime.get(i) + "&cursor=" + java.net.URLEncoder.encode(c.group(1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        List<String> lineage = leaves.stream().map(id -> "/v1/provenance/" + id + "/lineage").toList();
        List<String> byId = leaves.stream().map(id -> "/v1/provenance/" + id).toList();
        List<String> proofs = leaves.stream().map(id -> "/v1/provenance/" + id + "/proof").toList();

        Target headline = new Target("seed 002", 1200, 95, 6000, 15);
        run("provenance-query-agent-time", agentTime, Bench.WARMUP, headline);
        run("provenance-query-agent", agentOnly, SHORT_WARMUP, Target.NONE);
        run("provenance-query-type-time", typeTime, SHORT_WARMUP, Target.NONE);
        run("provenance-query-agent-type-time", agentTypeTime, SHORT_WARMUP, Target.NONE);
        run("provenance-query-time", timeOnly, SHORT_WARMUP, Target.NONE);
        run("provenance-query-latest", List.of("/v1/provenance", "/v1/provenance?limit=100"), SHORT_WARMUP, Target.NONE);
        if (!nextPages.isEmpty()) {
            run("provenance-query-next-page", nextPages, SHORT_WARMUP, Target.NONE);
        }
        run("provenance-lineage-depth-" + DEPTH, lineage, SHORT_WARMUP, Target.NONE);
        run("provenance-get", byId, SHORT_WARMUP, Target.NONE);
        run("provenance-inclusion-proof", proofs, SHORT_WARMUP, Target.NONE);
    }

    private void run(String name, List<String> paths, Duration warmup, Target target) throws Exception {
        if (!ONLY.isEmpty() && ONLY.stream().noneMatch(name::endsWith)) {
            return;
        }
        Path file = bench.writeLines(name, paths);
        Measurement m = bench.measure(name, warmup, d -> tools.wrk(name, base, 2, Bench.CONNECTIONS, d, "get_paths",
                List.of(), List.of(operator, file.toString())));
        bench.report().add("provenance queries", m, target, bench.httpCeiling(), "http-ceiling");
    }

    /** One INSERT … SELECT into the sequencer's queue, then waits for the sequencer to integrate all of it. */
    private void seed() throws Exception {
        PgEndpoint pg = suite.infrastructure().postgres();
        long before = treeSize(pg);
        System.out.printf("seeding %,d provenance records through the sequencer ...%n", RECORDS);
        long t0 = System.nanoTime();
        psql(pg, "INSERT INTO pending_record (id, agent_id, creation_type, metadata) SELECT gen_random_uuid(), "
                + "'agent-' || lpad((g % " + agents.size() + ")::text, 5, '0'), "
                + "(ARRAY['FRESH','CLONED','EVOLVED','PROMOTED','IMPORTED'])[1 + g % 5], "
                + "jsonb_build_object('n', g, 'source', 'bench-seed', 'model', 'm-' || (g % 7)) "
                + "FROM generate_series(1, " + RECORDS + ") g");
        double queued = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + Duration.ofMinutes(40).toNanos();
        long size = before;
        while (size < before + RECORDS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sequencer integrated only " + (size - before) + " of " + RECORDS);
            }
            Thread.sleep(2000);
            size = treeSize(pg);
            System.out.printf("  integrated %,d / %,d%n", size - before, RECORDS);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        bench.report().note(String.format(Locale.ROOT, "provenance seed: %,d records queued with one SQL statement in "
                + "%.0f s; the sequencer integrated them (leaf rows, Merkle nodes, one signed checkpoint per batch) "
                + "in %.0f s, %,.0f records/s while catching up (tree size now %,d).", RECORDS, queued,
                total - queued, RECORDS / (total - queued), size));
    }

    /** {@value CHAINS} lineage chains {@value DEPTH} deep, created over the API; returns each chain's last record. */
    private List<String> chains() throws Exception {
        List<String> last = new ArrayList<>();
        for (int i = 0; i < CHAINS; i++) {
            last.add(null);
        }
        for (int depth = 0; depth < DEPTH; depth++) {
            final int d = depth;
            List<String> bodies = http.parallel(CHAINS, 16, i -> new Http.Call("POST", base + "/v1/provenance", admin,
                    "{\"agentId\":\"" + agents.get(i) + "\",\"creationType\":\"" + (d == 0 ? "FRESH" : "EVOLVED")
                            + "\"" + (last.get(i) == null ? "" : ",\"parentId\":\"" + last.get(i) + "\"")
                            + ",\"metadata\":{\"generation\":" + d + "}}"));
            for (int i = 0; i < CHAINS; i++) {
                Matcher m = ID.matcher(bodies.get(i));
                if (!m.find()) {
                    throw new IllegalStateException("no id in " + bodies.get(i));
                }
                last.set(i, m.group(1));
            }
        }
        return last;
    }

    private long treeSize(PgEndpoint pg) throws Exception {
        return Long.parseLong(psql(pg, "SELECT tree_size FROM tree_head WHERE id = 1").strip());
    }

    private static String psql(PgEndpoint pg, String sql) throws Exception {
        return Tools.run(List.of("psql", "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", pg.user(),
                "-d", "trustplane_provenance", "-qAtc", sql), Duration.ofMinutes(10));
    }
}

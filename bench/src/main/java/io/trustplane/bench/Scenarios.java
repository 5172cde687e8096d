package io.trustplane.bench;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load scenarios: seed 002's six endpoints with its payloads, lease acquire+release next to the etcd peer,
 * event ingest. Data is seeded through the services' own APIs first.
 */
final class Scenarios {

    private final Bench bench;
    private final Suite suite;
    private final Tools tools;
    private final Path state;
    private final TokenMinter minter;
    private final Http http = new Http();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final List<String> agents = Bench.agentIds();
    /** Agents whose tokens carry the load (the rest exist so caches and indexes hold realistic sizes). */
    private static final int LOAD_AGENTS = 2000;

    Scenarios(Bench bench, Suite suite, Tools tools, Path state) {
        this.bench = bench;
        this.suite = suite;
        this.tools = tools;
        this.state = state;
        this.minter = suite.keys().minter();
    }

    /**
     * The services whose stream consumers do asynchronous work for every write the others take: telemetry ingests
     * every event on tp:events, provenance anchors every ledger entry on tp:anchor. In production they run on pods
     * of their own; on this 2-core rig they would take the cores from the service under test.
     */
    private static final List<String> CONSUMERS = List.of("telemetry", "provenance");

    /**
     * Runs {@code run} with {@code paused} stopped (SIGSTOP) so that one service is under test at a time, then
     * resumes them (SIGCONT) and moves their consumer groups past what the load produced (XGROUP SETID ... $), so
     * the backlog does not compete with the next scenario. Only services nothing calls synchronously are paused
     * (telemetry is the only service that calls the others).
     */
    private <T> T isolated(List<String> paused, java.util.concurrent.Callable<T> run) throws Exception {
        List<Suite.Running> stopped = suite.services().stream().filter(r -> paused.contains(r.spec().shortName())).toList();
        signal("STOP", stopped);
        try {
            return run.call();
        } finally {
            signal("CONT", stopped);
            String port = Integer.toString(suite.infrastructure().redisPort());
            for (String[] group : List.of(new String[] {"tp:events", "telemetry-service"},
                    new String[] {"tp:anchor", "provenance-service"})) {
                Tools.run(List.of("redis-cli", "-p", port, "XGROUP", "SETID", group[0], group[1], "$"), Duration.ofSeconds(30));
            }
        }
    }

    private static void signal(String signal, List<Suite.Running> services) throws Exception {
        for (Suite.Running r : services) {
            Tools.run(List.of("kill", "-" + signal, Long.toString(r.process().pid())), Duration.ofSeconds(10));
        }
    }

    private String url(String service) {
        return suite.services().stream().filter(r -> r.spec().shortName().equals(service)).findFirst()
                .orElseThrow().url();
    }

    void seedAndRun() throws Exception {
        String admin = minter.mint("bench-admin", Duration.ofHours(2), "admin", "operator");
        String agentsFile = Bench.agentsFile(bench, minter, agents, LOAD_AGENTS);
        Target none = Target.NONE;

        if (bench.isWanted("evaluate") || bench.isWanted("ceiling")) {
            seedAgents(admin);
        }

            // the agents that send load are registered VERIFIED (score 500), the tier seed 002's payload claims, as
            // its benchmark agent was; the other agents spread over every tier
        if (bench.isWanted("evaluate")) {
            Bench.Load evaluate = d -> tools.wrk("role-gate-evaluate", url("gate") + "/v1/role-gates/evaluate", 2,
                    Bench.CONNECTIONS, d, "post_per_agent", List.of(), List.of(agentsFile, "/v1/role-gates/evaluate",
                            "{\"agentId\":\"%AGENT%\",\"role\":\"DATA_ANALYST\",\"tier\":\"VERIFIED\","
                                    + "\"context\":{\"resourceId\":\"dataset_001\",\"action\":\"read\"}}"));
            Measurement m = isolated(CONSUMERS, () -> bench.measure("role-gate-evaluate", evaluate));
            bench.report().add("seed 002", m, new Target("seed 002", 1800, 68, 15000, 10), bench.httpCeiling(), "http-ceiling");
            // the same load with telemetry and provenance consuming its events on the same 2 cores
            Measurement shared = isolated(List.of(), () -> bench.measure("role-gate-evaluate-consumers-running",
                    Duration.ofSeconds(15), d -> evaluate.run(d).renamed("role-gate-evaluate-consumers-running")));
            bench.report().add("co-located", shared, Target.NONE, bench.httpCeiling(), "http-ceiling");
            bench.report().note(String.format(java.util.Locale.ROOT, "One service under test at a time: while "
                    + "gate, lease or provenance is measured, the asynchronous consumers of the others (telemetry's "
                    + "event ingest, provenance's anchoring) are paused (SIGSTOP) and afterwards skip the events the "
                    + "load produced. With them running on the same 2 cores, evaluate served %,.0f req/s (p99 %.1f ms) "
                    + "instead of %,.0f: every decision is an event that telemetry ingests (counter upserts and rule "
                    + "sums in PostgreSQL), which on this rig takes the cores from the gate.",
                    shared.opsPerSecond(), shared.p99Ms(), m.opsPerSecond()));
        }
        if (bench.isWanted("ceiling")) {
            Measurement m = isolated(CONSUMERS, () -> bench.measure("ceiling-check", d -> tools.wrk("ceiling-check",
url("gate") + "/v1/ceiling/check", 2, Bench.CONNECTIONS, d, "post_per_agent",
                    List.of(), List.of(agentsFile, "/v1/ceiling/check",
                            "{\"agentId\":\"%AGENT%\",\"resourceType\":\"API_CALLS\",\"requestedAmount\":10,\"tier\":\"VERIFIED\"}"))));
            Measurement lua = redisCeilingLua();
            bench.report().add("baseline", lua, Target.NONE, null, null);
            bench.report().add("seed 002", m, new Target("seed 002", 2100, 55, 12000, 10), lua, "redis-ceiling-lua");
        }
        if (bench.isWanted("provenance-create")) {
            Measurement m = isolated(List.of("telemetry"), () -> bench.measure("provenance-create", d -> tools.wrk("provenance-create",
url("provenance") + "/v1/provenance", 2, Bench.CONNECTIONS, d, "post_per_agent",
                    List.of(), List.of(agentsFile, "/v1/provenance",
                            "{\"agentId\":\"%AGENT%\",\"creationType\":\"FRESH\",\"metadata\":{\"n\":%N%,\"source\":\"bench\"}}"))));
            bench.report().add("seed 002", m, new Target("seed 002", 1400, 85, 4000, 60), bench.pgInsert, "pg-insert");
        }
        if (bench.isWanted("provenance-query")) {
            isolated(List.of("telemetry"), () -> {
                new ProvenanceQueries(bench, suite, tools, http, minter, agents, admin).seedAndRun();
                return null;
            });
        }
        if (bench.isWanted("stats")) {
            String operator = minter.mint("bench-operator", Duration.ofHours(2), "operator");
            Path pathsFile = bench.writeLines("stats", List.of("/v1/stats"));
            Measurement m = bench.measure("stats", d -> tools.wrk("stats", url("telemetry"), 2, Bench.CONNECTIONS,
                    d, "get_paths", List.of(), List.of(operator, pathsFile.toString())));
            bench.report().add("seed 002", m, new Target("seed 002", 2500, 45, 30000, 5), bench.httpCeiling(), "http-ceiling");
        }
        if (bench.isWanted("alerts")) {
            String operator = minter.mint("bench-operator", Duration.ofHours(2), "operator");
            Path pathsFile = bench.writeLines("alerts", List.of("/v1/alerts?status=ACTIVE", "/v1/alerts?severity=high",
                    "/v1/alerts"));
            Measurement m = bench.measure("alerts", d -> tools.wrk("alerts", url("telemetry"), 2, Bench.CONNECTIONS,
                    d, "get_paths", List.of(), List.of(operator, pathsFile.toString())));
            bench.report().add("seed 002", m, new Target("seed 002", 1500, 75, 8000, 10), bench.httpCeiling(), "http-ceiling");
        }
        if (bench.isWanted("lease-pairs")) {
            Measurement m = isolated(CONSUMERS, () -> bench.measure("lease-acquire-release", d -> tools.wrk(
                    "lease-acquire-release", url("lease"), Bench.CONNECTIONS, Bench.CONNECTIONS, d, "lease_pairs",
                    List.of(), List.of(agentsFile))));
            Measurement etcd = etcdPairs();
            bench.report().add("peer", etcd, Target.NONE, null, null);
            bench.report().add("leases", m, new Target("etcd (same run)", etcd.opsPerSecond(), etcd.p99Ms(),
                    Math.max(5000, etcd.opsPerSecond()), 0), etcd, "etcd-lease-pairs");
        }
        if (bench.isWanted("transition")) {
            transitions(agentsFile);
        }
        if (bench.isWanted("ingest")) {
            ingest(agentsFile);
        }
        if (bench.isWanted("crud")) {
            seedAgents(admin);
            crud(admin);
        }
        if (bench.isWanted("shapes")) {
            seedAgents(admin);
            isolated(CONSUMERS, () -> {
                new Shapes(bench, tools, url("gate"), agentsFile).run();
                return null;
            });
        }
    }

    /**
     * The administrative CRUD routes (issue 19's entity-mapped aggregates): reads of policies, agents, flags and
     * escalations on gate-service and of alert rules and subscriptions on telemetry-service, and unconditional
     * updates of eight policies and eight alert rules, each with one admin token. These routes are not hot paths;
     * the figures exist to compare two revisions of their persistence ({@code bench/ab/run A B crud}).
     */
    void crud(String admin) throws Exception {
        String policy = "{\"name\":\"bench crud\",\"priority\":-1000,\"role\":\"bench-crud\","
                + "\"actions\":[\"bench-crud\"],\"resourcePattern\":\"bench/crud/*\",\"effect\":\"ALLOW\"}";
        List<String> policies = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            policies.add(JSON.readTree(http.send("POST", url("gate") + "/v1/policies", admin, policy))
                    .path("id").asText());
        }
        String flag = "bench-crud-" + Long.toHexString(System.nanoTime());
        http.send("POST", url("gate") + "/v1/flags", admin, "{\"flag\":\"" + flag + "\",\"stages\":[10,50,100]}");
        List<String> gateReads = new ArrayList<>(List.of("/v1/policies", "/v1/agents?limit=20", "/v1/flags",
                "/v1/flags/" + flag, "/v1/escalations?limit=20"));
        for (int k = 0; k < 8; k++) {
            gateReads.add("/v1/policies/" + policies.get(k));
            gateReads.add("/v1/agents/" + agents.get(k));
        }
        Path gateReadPaths = bench.writeLines("crud-gate-reads", gateReads);
        Path policyPaths = bench.writeLines("crud-gate-writes", policies.stream().map(id -> "/v1/policies/" + id).toList());
        Measurement reads = isolated(CONSUMERS, () -> bench.measure("crud-gate-reads", d -> tools.wrk("crud-gate-reads",
                url("gate"), 2, Bench.CONNECTIONS, d, "get_paths", List.of(), List.of(admin, gateReadPaths.toString()))));
        Measurement writes = isolated(CONSUMERS, () -> bench.measure("crud-gate-writes", d -> tools.wrk("crud-gate-writes",
                url("gate"), 2, Bench.CONNECTIONS, d, "send_paths", List.of(),
                List.of("PUT", admin, policyPaths.toString(), policy))));
        bench.report().add("crud", reads, Target.NONE, bench.httpCeiling(), "http-ceiling");
        bench.report().add("crud", writes, Target.NONE, bench.pgInsert, "pg-insert");

        String rule = "{\"name\":\"bench crud\",\"kind\":\"THRESHOLD\",\"counter\":\"bench_crud\","
                + "\"windowSeconds\":300,\"threshold\":1000000000,\"severity\":\"LOW\"}";
        String tag = Long.toHexString(System.nanoTime());
        List<String> rules = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            String id = "bench-crud-" + tag + "-" + k;
            http.send("POST", url("telemetry") + "/v1/alert-rules", admin,
                    "{\"id\":\"" + id + "\"," + rule.substring(1));
            rules.add("/v1/alert-rules/" + id);
        }
        List<String> telemetryReads = new ArrayList<>(List.of("/v1/alert-rules", "/v1/subscriptions"));
        telemetryReads.addAll(rules);
        Path telemetryReadPaths = bench.writeLines("crud-telemetry-reads", telemetryReads);
        Path rulePaths = bench.writeLines("crud-telemetry-writes", rules);
        List<String> others = List.of("provenance");
        Measurement ruleReads = isolated(others, () -> bench.measure("crud-telemetry-reads", d -> tools.wrk(
                "crud-telemetry-reads", url("telemetry"), 2, Bench.CONNECTIONS, d, "get_paths", List.of(),
                List.of(admin, telemetryReadPaths.toString()))));
        Measurement ruleWrites = isolated(others, () -> bench.measure("crud-telemetry-writes", d -> tools.wrk(
                "crud-telemetry-writes", url("telemetry"), 2, Bench.CONNECTIONS, d, "send_paths", List.of(),
                List.of("PUT", admin, rulePaths.toString(), rule))));
        bench.report().add("crud", ruleReads, Target.NONE, bench.httpCeiling(), "http-ceiling");
        bench.report().add("crud", ruleWrites, Target.NONE, bench.pgInsert, "pg-insert");
    }

    private boolean agentsSeeded;

    /**
     * 10,000 agents in gate-service: the ones that send load are registered VERIFIED (score 500), the tier seed
     * 002's payload claims, as its benchmark agent was; the others spread over every tier.
     */
    private void seedAgents(String admin) throws Exception {
        if (agentsSeeded) {
            return;
        }
        System.out.println("seeding " + agents.size() + " agents across tiers ...");
        http.parallel(agents.size(), 16, i -> new Http.Call("PUT", url("gate") + "/v1/agents/" + agents.get(i), admin,
                "{\"trustScore\":" + (i < LOAD_AGENTS ? 500 : i * 997 % 1001) + ",\"attributes\":{\"team\":\"bench\"}}"));
        agentsSeeded = true;
    }

    /** The Lua call a ceiling check makes, straight at Redis: the most a ceiling check could do. */
    private Measurement redisCeilingLua() throws Exception {
        int port = suite.infrastructure().redisPort();
        String script = Files.readString(bench.root().resolve("gate-service/src/main/resources/ceiling.lua"));
        String sha = Tools.run(List.of("redis-cli", "-p", Integer.toString(port), "SCRIPT", "LOAD", script),
                Duration.ofSeconds(30)).strip();
        // same keys shape, window, amount and limit as the VERIFIED API_CALLS ceiling; 2,000 agents
        return tools.redisBenchmark("redis-ceiling-lua", port, Bench.CONNECTIONS, 300_000, List.of("-r", "2000",
                "EVALSHA", sha, "2", "tp:{agent-__rand_int__}:ceiling:API_CALLS",
                "tp:{agent-__rand_int__}:ceiling:API_CALLS:sum", "3600000", "10", "100000", "g-__rand_int__"));
    }

    /** A task through the whole work process: create, acquire, eight transitions with evidence and attestation. */
    void transitions(String agentsFile) throws Exception {
        Measurement m = isolated(CONSUMERS, () -> bench.measure("phase-transition", d -> tools.wrk("phase-transition",
                url("lease"), Bench.CONNECTIONS, Bench.CONNECTIONS, d, "transition", List.of(), List.of(agentsFile))));
        bench.report().add("workflow", m, new Target("seed 000 (in-process)", 0, 1.53, 2000, 20), null, null);
    }

    /** Event ingest: agents posting counters (10 per request) to telemetry-service. */
    void ingest(String agentsFile) throws Exception {
        StringBuilder counters = new StringBuilder();
        String[] names = {"phase_skips_attempted", "phase_backtracks", "evidence_gate_checked", "phase_validations",
                "tool_calls", "tokens_in", "tokens_out", "tests_run", "tests_failed", "files_changed"};
        for (String name : names) {
            counters.append(counters.length() == 0 ? "" : ",").append("{\"name\":\"").append(name)
                    .append("\",\"value\":%N%,\"tags\":{\"source\":\"bench\"}}");
        }
        Measurement m = bench.measure("event-ingest", d -> tools.wrk("event-ingest", url("telemetry") + "/v1/events",
                2, Bench.CONNECTIONS, d, "post_per_agent", List.of(), List.of(agentsFile, "/v1/events",
                        "{\"agentId\":\"%AGENT%\",\"counters\":[" + counters + "]}")));
        bench.report().add("ingest", m, Target.NONE, bench.pgInsert, "pg-insert");
        bench.report().note(String.format(java.util.Locale.ROOT, "event-ingest: each request carries 10 counter "
                + "lines, so %,.0f durable counter lines/s.", 10 * m.opsPerSecond()));
    }

    /** etcd granting a lease, compare-and-put of the key, and revoke: the peer doing the lease job. */
    private Measurement etcdPairs() throws Exception {
        int client = Infrastructure.freePort();
        int peer = Infrastructure.freePort();
        Path data = Files.createTempDirectory(state, "etcd");
        Process etcd = new ProcessBuilder("etcd", "--name", "bench", "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls", "http://127.0.0.1:" + client,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "bench=http://127.0.0.1:" + peer)
                .redirectErrorStream(true).redirectOutput(state.resolve("etcd.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Suite.inUse(client) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            return bench.measure("etcd-lease-pairs", d -> tools.wrk("etcd-lease-pairs", "http://127.0.0.1:" + client,
                    Bench.CONNECTIONS, Bench.CONNECTIONS, d, "etcd_pairs", List.of(), List.of()));
        } finally {
            etcd.destroy();
            etcd.waitFor(20, TimeUnit.SECONDS);
        }
    }

    ServiceSpec spec(String name) {
        return ServiceSpec.byName(name);
    }
}

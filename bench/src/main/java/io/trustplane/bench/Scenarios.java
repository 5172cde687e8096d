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

    private String url(String service) {
        return suite.services().stream().filter(r -> r.spec().shortName().equals(service)).findFirst()
                .orElseThrow().url();
    }

    void seedAndRun() throws Exception {
        String admin = minter.mint("bench-admin", Duration.ofHours(2), "admin", "operator");
        String agentsFile = Bench.agentsFile(bench, minter, agents, LOAD_AGENTS);
        Target none = Target.NONE;

        if (bench.isWanted("evaluate") || bench.isWanted("ceiling")) {
            System.out.println("seeding " + agents.size() + " agents across tiers ...");
            // the agents that send load are registered VERIFIED (score 500), the tier seed 002's payload claims, as
            // its benchmark agent was; the other agents spread over every tier
            http.parallel(agents.size(), 16, i -> new Http.Call("PUT", url("gate") + "/v1/agents/" + agents.get(i), admin,
                    "{\"trustScore\":" + (i < LOAD_AGENTS ? 500 : i * 997 % 1001) + ",\"attributes\":{\"team\":\"bench\"}}"));
        }
        if (bench.isWanted("evaluate")) {
            Measurement m = bench.measure("role-gate-evaluate", d -> tools.wrk("role-gate-evaluate",
url("gate") + "/v1/role-gates/evaluate", 2, Bench.CONNECTIONS, d, "post_per_agent",
                    List.of(), List.of(agentsFile, "/v1/role-gates/evaluate",
                            "{\"agentId\":\"%AGENT%\",\"role\":\"DATA_ANALYST\",\"tier\":\"VERIFIED\","
                                    + "\"context\":{\"resourceId\":\"dataset_001\",\"action\":\"read\"}}")));
            bench.report().add("seed 002", m, new Target("seed 002", 1800, 68, 15000, 10), bench.httpCeiling(), "http-ceiling");
        }
        if (bench.isWanted("ceiling")) {
            Measurement m = bench.measure("ceiling-check", d -> tools.wrk("ceiling-check",
url("gate") + "/v1/ceiling/check", 2, Bench.CONNECTIONS, d, "post_per_agent",
                    List.of(), List.of(agentsFile, "/v1/ceiling/check",
                            "{\"agentId\":\"%AGENT%\",\"resourceType\":\"API_CALLS\",\"requestedAmount\":10,\"tier\":\"VERIFIED\"}")));
            bench.report().add("seed 002", m, new Target("seed 002", 2100, 55, 12000, 10), bench.httpCeiling(), "http-ceiling");
        }
        if (bench.isWanted("provenance-create")) {
            Measurement m = bench.measure("provenance-create", d -> tools.wrk("provenance-create",
url("provenance") + "/v1/provenance", 2, Bench.CONNECTIONS, d, "post_per_agent",
                    List.of(), List.of(agentsFile, "/v1/provenance",
                            "{\"agentId\":\"%AGENT%\",\"creationType\":\"FRESH\",\"metadata\":{\"n\":%N%,\"source\":\"bench\"}}")));
            bench.report().add("seed 002", m, new Target("seed 002", 1400, 85, 4000, 60), bench.pgInsert, "pg-insert");
        }
        if (bench.isWanted("provenance-query")) {
            String operator = minter.mint("bench-operator", Duration.ofHours(2), "operator");
            Instant now = Instant.now();
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String agent = agents.get(i);
                paths.add("/v1/provenance?agentId=" + agent + "&from=" + now.minusSeconds(86_400) + "&to=" + now.plusSeconds(86_400));
            }
            Path pathsFile = bench.writeLines("provenance-agent-time", paths);
            Measurement m = bench.measure("provenance-query-agent-time", d -> tools.wrk("provenance-query-agent-time",
url("provenance"), 2, Bench.CONNECTIONS, d, "get_paths", List.of(),
                    List.of(operator, pathsFile.toString())));
            bench.report().add("seed 002", m, new Target("seed 002", 1200, 95, 6000, 15), bench.httpCeiling(), "http-ceiling");
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
            Measurement m = bench.measure("lease-acquire-release", d -> tools.wrk("lease-acquire-release",
url("lease"), Bench.CONNECTIONS, Bench.CONNECTIONS, d, "lease_pairs", List.of(),
                    List.of(agentsFile)));
            Measurement etcd = etcdPairs();
            bench.report().add("peer", etcd, Target.NONE, null, null);
            bench.report().add("leases", m, new Target("etcd (same run)", etcd.opsPerSecond(), etcd.p99Ms(),
                    Math.max(5000, etcd.opsPerSecond()), 0), etcd, "etcd-lease-pairs");
        }
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

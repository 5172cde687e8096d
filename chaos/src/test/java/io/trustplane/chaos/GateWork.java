package io.trustplane.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.launcher.Suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gate writes and checks under faults, in turn: register an agent (durable), evaluate a role one tier above a
 * VERIFIED agent (ESCALATE opens a durable escalation), and a ceiling check by an unregistered agent (UNKNOWN
 * tier: 10 API_CALLS per 60 s, counted in Redis). Registered agents and opened escalations must survive every
 * fault; ceiling answers are counted by era so a test can prove they fail closed while Redis is away.
 */
final class GateWork extends Workload {

    static final int UNKNOWN_API_CALLS_LIMIT = 10;

    private final Map<String, Integer> agents = new ConcurrentHashMap<>();
    private final Map<String, String> escalations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> allowed = new ConcurrentHashMap<>();
    private final LongAdder ceilingUnavailable = new LongAdder();
    private volatile String era = "before";

    GateWork(Cluster cluster, String tag, Suite.Running... instances) {
        super(cluster, tag, instances);
    }

    @Override
    String service() {
        return "gate";
    }

    private String verified(int worker) {
        return "chaos-gv-" + tag + "-w" + worker;
    }

    private String ceilingAgent(int worker) {
        return "chaos-gc-" + tag + "-w" + worker;
    }

    /** Registers each worker's VERIFIED agent (score 450) before the faults; true once all are. */
    boolean prepare(int workers) {
        for (int w = 0; w < workers; w++) {
            Http.Reply r = cluster.http.put(baseUrl(w) + "/v1/agents/" + verified(w), cluster.admin(),
                    Map.of("trustScore", 450));
            if (!r.ok()) {
                return false;
            }
        }
        return true;
    }

    /** Ceiling answers from now on are counted under {@code era}. */
    void era(String era) {
        this.era = era;
    }

    @Override
    void step(int worker, long n) {
        switch ((int) (n % 3)) {
            case 0 -> register(worker, n);
            case 1 -> escalate(worker, n);
            default -> ceiling(worker);
        }
    }

    private void register(int worker, long n) {
        String agentId = "chaos-g-" + tag + "-w" + worker + "-" + n;
        int score = (int) ((n * 37 + worker) % 1001);
        Http.Reply r = cluster.http.put(baseUrl(worker) + "/v1/agents/" + agentId, cluster.admin(),
                Map.of("trustScore", score));
        if (cluster.tally.judge(tallyKey(worker), r) && r.ok()) {
            agents.put(agentId, score);
            acknowledged(1);
        }
    }

    private void escalate(int worker, long n) {
        String agentId = verified(worker);
        Http.Reply r = cluster.http.post(baseUrl(worker) + "/v1/role-gates/evaluate", cluster.agent(agentId),
                Map.of("agentId", agentId, "role", "DEPLOYER", "tier", "VERIFIED",
                        "context", Map.of("resourceId", "chaos/" + tag + "/" + n, "action", "deploy")));
        if (cluster.tally.judge(tallyKey(worker), r) && r.ok()) {
            JsonNode j = r.json();
            if (!"ESCALATE".equals(j.path("decision").asText()) || !j.hasNonNull("escalationId")) {
                cluster.tally.violation(service(), "a VERIFIED agent asking for DEPLOYER was not escalated: " + r);
                return;
            }
            escalations.put(j.get("escalationId").asText(), agentId);
            acknowledged(1);
        }
    }

    private void ceiling(int worker) {
        String agentId = ceilingAgent(worker);
        String started = era;
        Http.Reply r = cluster.http.post(baseUrl(worker) + "/v1/ceiling/check", cluster.agent(agentId),
                Map.of("agentId", agentId, "resourceType", "API_CALLS", "requestedAmount", 1));
        // an answer counts for the era it was started in, except one started in an outage that ended after it:
        // only a check both sent and answered while Redis was down is an "outage" check
        String current = "outage".equals(started) ? era : started;
        if (r.status() == 503 && "ceiling_store_unavailable".equals(r.code())) {
            ceilingUnavailable.increment();
        }
        if (cluster.tally.judge(tallyKey(worker), r) && r.ok() && r.json().path("allowed").asBoolean()) {
            allowed.computeIfAbsent(current + "/" + agentId, k -> new LongAdder()).increment();
        }
    }

    /** Ceiling checks answered allowed=true during {@code era}, the most for one agent. */
    long maxAllowedPerAgent(String era) {
        return allowed.entrySet().stream().filter(e -> e.getKey().startsWith(era + "/"))
                .mapToLong(e -> e.getValue().sum()).max().orElse(0);
    }

    long allowedIn(String era) {
        return allowed.entrySet().stream().filter(e -> e.getKey().startsWith(era + "/"))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    long ceilingUnavailable() {
        return ceilingUnavailable.sum();
    }

    @Override
    Verification verify() {
        String base = baseUrl(0);
        long lost = 0;
        List<String> samples = new ArrayList<>();
        for (Map.Entry<String, Integer> a : agents.entrySet()) {
            Http.Reply r = cluster.http.get(base + "/v1/agents/" + a.getKey(), cluster.admin());
            if (r.status() != 200 || r.json().path("trustScore").asInt(-1) != a.getValue()) {
                lost++;
                if (samples.size() < 10) {
                    samples.add("agent " + a.getKey() + " (score " + a.getValue() + "): " + r);
                }
            }
        }
        for (Map.Entry<String, String> e : escalations.entrySet()) {
            Http.Reply r = cluster.http.get(base + "/v1/escalations/" + e.getKey(), cluster.admin());
            if (r.status() != 200 || !e.getValue().equals(r.json().path("agentId").asText())) {
                lost++;
                if (samples.size() < 10) {
                    samples.add("escalation " + e.getKey() + ": " + r);
                }
            }
        }
        return new Verification("gate", agents.size() + escalations.size(), lost, 0, samples);
    }
}

package io.trustplane.chaos;

import io.trustplane.launcher.Suite;
import io.trustplane.testing.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Agents' counter lines posted under faults, five per request, each with its own id. A 202 means the lines are
 * durable; afterwards each acknowledged line must be in {@code processed_events}, and each agent's counter must
 * equal the number of its lines stored (a retried or replayed line counted twice would show here).
 */
final class TelemetryWork extends Workload {

    private static final int LINES = 5;

    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private final Set<String> agentsUsed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    TelemetryWork(Cluster cluster, String tag, Suite.Running... instances) {
        super(cluster, tag, instances);
    }

    @Override
    String service() {
        return "telemetry";
    }

    private String counter() {
        return "chaos_lines_" + tag.replace('-', '_');
    }

    @Override
    void step(int worker, long n) {
        String agent = "chaos-t-" + tag + "-w" + worker;
        agentsUsed.add(agent);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int k = 0; k < LINES; k++) {
            lines.add(Map.of("id", n + "-" + k, "name", counter(), "value", 1));
        }
        Http.Reply r = cluster.http.post(baseUrl(worker) + "/v1/events", cluster.agent(agent), Map.of("counters", lines));
        if (cluster.tally.judge(tallyKey(worker), r, 429) && r.ok()) {
            if (r.status() != 202 || r.json().path("accepted").asInt() != LINES) {
                cluster.tally.violation(service(), "not 202 with all lines accepted: " + r);
                return;
            }
            for (int k = 0; k < LINES; k++) {
                acked.add("counter:" + agent + ":" + n + "-" + k);
            }
            acknowledged(LINES);
        }
    }

    @Override
    Verification verify() throws Exception {
        List<String> all = new ArrayList<>(acked);
        Set<String> stored = new HashSet<>();
        long duplicates = 0;
        List<String> samples = new ArrayList<>();
        try (Connection c = cluster.db(Cluster.TELEMETRY)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT event_id FROM processed_events WHERE event_id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("text", all.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
            for (String agent : agentsUsed) {
                long lines = Jdbc.scalar(c, "SELECT count(*) FROM processed_events WHERE event_id LIKE ?",
                        "counter:" + agent + ":%");
                long sum = Jdbc.scalar(c,
                        "SELECT coalesce(sum(value), 0) FROM counter_buckets WHERE name = ? AND agent_id = ?",
                        counter(), agent);
                if (sum != lines) {
                    duplicates += Math.abs(sum - lines);
                    samples.add("agent " + agent + ": counter " + sum + " but " + lines + " lines stored");
                }
            }
        }
        long lost = 0;
        for (String id : all) {
            if (!stored.contains(id)) {
                lost++;
                if (samples.size() < 10) {
                    samples.add("acknowledged line " + id + " is not stored");
                }
            }
        }
        return new Verification("telemetry", all.size(), lost, duplicates, samples);
    }
}

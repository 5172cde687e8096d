package io.trustplane.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.launcher.Suite;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Leases acquired and released under faults: each step takes a fresh key and releases it. Every 201 grant
 * (lease id, fencing token, holder, key) and every acknowledged release must be in the lease table afterwards.
 */
final class LeaseWork extends Workload {

    /** An acknowledged grant. */
    record Grant(String leaseId, String taskId, String phase, String holder, long token) {
    }

    private final ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    LeaseWork(Cluster cluster, String tag, Suite.Running... instances) {
        super(cluster, tag, instances);
    }

    @Override
    String service() {
        return "lease";
    }

    @Override
    void step(int worker, long n) {
        String agent = "chaos-l-" + tag + "-w" + worker;
        String token = cluster.agent(agent);
        String taskId = "chaos-" + tag + "-w" + worker + "-" + n;
        Http.Reply r = cluster.http.post(baseUrl(worker) + "/v1/leases", token,
                Map.of("taskId", taskId, "phase", "STRATEGIZE", "ttlSeconds", 120));
        if (!cluster.tally.judge(tallyKey(worker), r) || !r.ok()) {
            return;
        }
        JsonNode j = r.json();
        Grant g = new Grant(j.get("leaseId").asText(), j.get("taskId").asText(), j.get("phase").asText(),
                j.get("holder").asText(), j.get("fencingToken").asLong());
        grants.add(g);
        acknowledged(1);
        Http.Reply rel = cluster.http.delete(baseUrl(worker) + "/v1/leases/" + g.leaseId(), token);
        if (cluster.tally.judge(tallyKey(worker), rel) && rel.ok()) {
            released.add(g.leaseId());
            acknowledged(1);
        }
    }

    @Override
    Verification verify() throws Exception {
        List<Grant> all = new ArrayList<>(grants);
        Map<String, String[]> rows = new HashMap<>();
        try (Connection c = cluster.db(Cluster.LEASE);
                PreparedStatement ps = c.prepareStatement("SELECT lease_id::text, task_id, phase, holder, fencing_token, "
                        + "status FROM leases WHERE lease_id = ANY(?::uuid[])")) {
            Array ids = c.createArrayOf("text", all.stream().map(Grant::leaseId).toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4),
                            Long.toString(rs.getLong(5)), rs.getString(6)});
                }
            }
        }
        long lost = 0;
        List<String> samples = new ArrayList<>();
        for (Grant g : all) {
            String[] row = rows.get(g.leaseId());
            boolean same = row != null && row[0].equals(g.taskId()) && row[1].equals(g.phase()) && row[2].equals(g.holder())
                    && Long.parseLong(row[3]) == g.token();
            boolean releaseKept = !released.contains(g.leaseId()) || (row != null && "RELEASED".equals(row[4]));
            if (!same || !releaseKept) {
                lost++;
                if (samples.size() < 10) {
                    samples.add("grant " + g + (row == null ? " is missing" : " stored as " + String.join("/", row)));
                }
            }
        }
        return new Verification("lease", all.size() + released.size(), lost, 0, samples);
    }
}

package io.trustplane.provenance.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.testing.TrustplaneTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every filter combination of the listing, the lineage walk and the proof node lookup use an index; the plans
 * are written to target/explain-provenance.txt. Sequential scans are disabled so that the tiny test tables show
 * which index the planner can use (with them enabled it would read a few pages sequentially).
 */
@QuarkusTest
class RecordQueryPlanTest {

    @ConfigProperty(name = "trustplane.test.database")
    String database;

    @Test
    void everyFilterCombinationIsAnIndexScan() throws Exception {
        String cols = "SELECT r.id FROM provenance_record r JOIN checkpoint k ON k.tree_size = r.checkpoint_size WHERE true";
        String keyset = " AND (r.created_at, r.leaf_index) > ('2026-01-01T00:00:00Z', 10)";
        String order = " ORDER BY r.created_at, r.leaf_index LIMIT 21";
        String agent = " AND r.agent_id = 'agent-7'";
        String type = " AND r.creation_type = 'FRESH'";
        String time = " AND r.created_at >= '2026-01-01T00:00:00Z' AND r.created_at < '2027-01-01T00:00:00Z'";
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("no filter", cols + order);
        queries.put("no filter + cursor", cols + keyset + order);
        queries.put("agentId", cols + agent + order);
        queries.put("creationType", cols + type + order);
        queries.put("from/to", cols + time + order);
        queries.put("agentId + creationType", cols + agent + type + order);
        queries.put("agentId + from/to", cols + agent + time + order);
        queries.put("creationType + from/to", cols + type + time + order);
        queries.put("agentId + creationType + from/to + cursor", cols + agent + type + time + keyset + order);
        queries.put("lineage", "WITH RECURSIVE chain (id, parent_id, depth) AS ("
                + " SELECT id, parent_id, 0 FROM provenance_record WHERE id = '00000000-0000-0000-0000-000000000000'"
                + " UNION ALL SELECT p.id, p.parent_id, c.depth + 1 FROM chain c"
                + " JOIN provenance_record p ON p.id = c.parent_id WHERE c.depth + 1 < 10000) SELECT * FROM chain");
        queries.put("proof nodes", "SELECT n.hash FROM tree_node n JOIN unnest('{0,1,2}'::int[], '{5,3,1}'::bigint[])"
                + " AS w (level, idx) ON n.level = w.level AND n.idx = w.idx");
        StringBuilder report = new StringBuilder();
        var pg = TrustplaneTestResource.infrastructure().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("ANALYZE");
            st.execute("SET enable_seqscan = off");
            for (Map.Entry<String, String> q : queries.entrySet()) {
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery("EXPLAIN " + q.getValue())) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                report.append("## ").append(q.getKey()).append('\n').append(q.getValue()).append('\n')
                        .append(plan).append('\n');
                String recordScan = plan.toString();
                assertThat(recordScan).as(q.getKey()).contains("Index");
                assertThat(recordScan).as(q.getKey()).doesNotContain("Seq Scan on provenance_record")
                        .doesNotContain("Seq Scan on tree_node");
            }
        }
        Files.writeString(Path.of("target", "explain-provenance.txt"), report);
    }
}

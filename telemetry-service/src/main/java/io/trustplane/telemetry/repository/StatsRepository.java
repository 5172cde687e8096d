package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The inventory derived from consumed events, read by the stats snapshot. */
@ApplicationScoped
public class StatsRepository {

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Map<String, Long>> agentsByTier() {
        return pool.query("SELECT tier, count(*) AS n FROM agents_seen GROUP BY tier ORDER BY tier").execute()
                .map(rs -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    rs.forEach(r -> out.put(r.getString("tier"), r.getLong("n")));
                    return out;
                });
    }

    public Uni<Long> activeLeases() {
        return pool.query("SELECT count(*) AS n FROM leases_active").execute()
                .map(rs -> rs.iterator().next().getLong("n"));
    }

    public Uni<Optional<Long>> logSize() {
        return pool.query("SELECT tree_size FROM log_size WHERE id = 1").execute()
                .map(rs -> rs.rowCount() == 0 ? Optional.empty() : Optional.of(rs.iterator().next().getLong("tree_size")));
    }
}

package io.trustplane.telemetry.repository;

import io.trustplane.telemetry.domain.rollout.RolloutComparison;
import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.rollout.RolloutTriggers;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Active rollouts seen on the bus and their cohort/control samples. */
@ApplicationScoped
public class RolloutRepository {

    private final Pool pool;

    public RolloutRepository(Pool pool) {
        this.pool = pool;
    }

    /** Sums requests and errors per side; p95 is the request-weighted mean of the samples' p95. */
    public Uni<List<RolloutComparison>> compare(Duration window) {
        return pool.preparedQuery("""
                SELECT r.flag, r.percent, s.cohort,
                       coalesce(sum(s.requests), 0) AS requests, coalesce(sum(s.errors), 0) AS errors,
                       coalesce(sum(s.p95_latency_ms * s.requests) / nullif(sum(s.requests), 0), 0) AS p95
                  FROM rollouts r JOIN rollout_samples s ON s.flag = r.flag
                 WHERE r.active AND s.at >= now() - $1::bigint * interval '1 second'
                 GROUP BY r.flag, r.percent, s.cohort ORDER BY r.flag""")
                .execute(Tuple.of(window.toSeconds()))
                .map(rs -> {
                    List<RolloutComparison> out = new ArrayList<>();
                    String flag = null;
                    int percent = 0;
                    RolloutTriggers.Side cohort = null;
                    RolloutTriggers.Side control = null;
                    for (var row : rs) {
                        if (flag != null && !flag.equals(row.getString("flag"))) {
                            out.add(new RolloutComparison(flag, percent, orEmpty(cohort), orEmpty(control)));
                            cohort = null;
                            control = null;
                        }
                        flag = row.getString("flag");
                        percent = row.getInteger("percent");
                        var side = new RolloutTriggers.Side(row.getLong("requests"), row.getLong("errors"),
                                row.getDouble("p95"));
                        if ("COHORT".equals(row.getString("cohort"))) {
                            cohort = side;
                        } else {
                            control = side;
                        }
                    }
                    if (flag != null) {
                        out.add(new RolloutComparison(flag, percent, orEmpty(cohort), orEmpty(control)));
                    }
                    return out;
                });
    }

    public Uni<Void> markRolledBack(String flag) {
        return pool.preparedQuery("UPDATE rollouts SET active = FALSE, rolled_back_at = now(), updated_at = now() WHERE flag = $1")
                .execute(Tuple.of(flag)).replaceWithVoid();
    }

    private static RolloutTriggers.Side orEmpty(RolloutTriggers.Side s) {
        return s == null ? new RolloutTriggers.Side(0, 0, 0) : s;
    }
}

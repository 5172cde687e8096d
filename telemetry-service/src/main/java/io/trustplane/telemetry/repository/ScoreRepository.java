package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads an agent's trust-score history for the gaming detectors. */
@ApplicationScoped
public class ScoreRepository {

    private final Pool pool;

    public ScoreRepository(Pool pool) {
        this.pool = pool;
    }

    /** Scores inside the window, oldest first. */
    public Uni<List<Double>> scores(String agentId, Duration window) {
        return pool.preparedQuery("""
                SELECT score FROM score_history WHERE agent_id = $1 AND at >= now() - $2::bigint * interval '1 second'
                 ORDER BY at, event_id""")
                .execute(Tuple.of(agentId, window.toSeconds()))
                .map(rs -> {
                    List<Double> out = new ArrayList<>();
                    rs.forEach(r -> out.add(r.getDouble("score")));
                    return out;
                });
    }
}

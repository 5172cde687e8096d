package io.trustplane.telemetry.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.telemetry.domain.ingest.Series;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Global counter series for the dashboard's charts, summed from {@code counter_buckets} per step. */
@ApplicationScoped
public class SeriesRepository {

    private final Pool pool;

    public SeriesRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * One query: a grid of steps ending at PostgreSQL's now (the clock that stamped the buckets), each counter
     * joined to the buckets that start inside the step; the primary key (name, agent_id, bucket_start) serves it.
     */
    public Uni<Series> series(List<String> names, long windowSeconds, long stepSeconds) {
        return pool.preparedQuery("""
                WITH grid AS (
                    SELECT generate_series(e - $2::bigint + $3::bigint, e, $3::bigint) AS t
                      FROM (SELECT (floor(extract(epoch FROM now()) / $3::bigint) * $3::bigint)::bigint AS e) clock)
                SELECT n.name, g.t, coalesce(sum(b.value), 0) AS total
                  FROM grid g CROSS JOIN unnest($1::text[]) AS n(name)
                  LEFT JOIN counter_buckets b
                    ON b.name = n.name AND b.agent_id = ''
                   AND b.bucket_start >= to_timestamp(g.t) AND b.bucket_start < to_timestamp(g.t + $3::bigint)
                 GROUP BY n.name, g.t
                 ORDER BY n.name, g.t""")
                .execute(Tuple.of(names.toArray(String[]::new), windowSeconds, stepSeconds))
                .map(rows -> {
                    Map<String, List<Long>> values = new LinkedHashMap<>();
                    names.forEach(n -> values.put(n, new ArrayList<>()));
                    List<Long> timestamps = new ArrayList<>();
                    String first = names.get(0);
                    for (Row row : rows) {
                        String name = row.getString("name");
                        values.get(name).add(row.getLong("total"));
                        if (name.equals(first)) {
                            timestamps.add(row.getLong("t"));
                        }
                    }
                    return new Series(windowSeconds, stepSeconds, timestamps, values);
                });
    }
}

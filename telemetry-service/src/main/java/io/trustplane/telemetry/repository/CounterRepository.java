package io.trustplane.telemetry.repository;

import io.trustplane.telemetry.domain.ingest.CounterBuckets;
import io.trustplane.telemetry.domain.ingest.CounterRow;
import io.trustplane.telemetry.domain.ingest.CounterTotal;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters in fixed-width time buckets ({@code trustplane.telemetry.counters.bucket-seconds}). Increments are
 * upserted in one statement per batch; a window is the sum of the buckets that start inside it, so windows are
 * exact to one bucket width. Times come from PostgreSQL's clock; a future timestamp is clamped to now().
 */
@ApplicationScoped
public class CounterRepository {

    private final Pool pool;
    private final int bucketSeconds;

    /** The bucket width is read as a plain property: a repository knows no configuration mapping of its service. */
    public CounterRepository(Pool pool,
            @ConfigProperty(name = "trustplane.telemetry.counters.bucket-seconds", defaultValue = "10") int bucketSeconds) {
        this.pool = pool;
        this.bucketSeconds = bucketSeconds;
    }

    /**
     * Adds the rows inside the caller's transaction. Rows are summed per bucket here first (a batch of decisions
     * mostly hits a few keys), and again in SQL, where times clamped to now() can still meet in one bucket; the
     * upsert takes its keys sorted to avoid deadlocks.
     */
    public Uni<Void> add(SqlClient conn, List<CounterRow> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<CounterRow> rows = CounterBuckets.aggregate(batch, bucketSeconds);
        String[] names = new String[rows.size()];
        String[] agents = new String[rows.size()];
        OffsetDateTime[] times = new OffsetDateTime[rows.size()];
        Long[] values = new Long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            CounterRow r = rows.get(i);
            names[i] = r.name();
            agents[i] = r.agentId() == null ? "" : r.agentId();
            times[i] = r.at();
            values[i] = r.value();
        }
        return conn.preparedQuery("""
                INSERT INTO counter_buckets (name, agent_id, bucket_start, value)
                SELECT name, agent,
                       to_timestamp(floor(extract(epoch FROM LEAST(coalesce(ts, now()), now())) / $5::int) * $5::int) AS b,
                       sum(v)
                  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[]) AS t(name, agent, ts, v)
                 GROUP BY 1, 2, 3
                 ORDER BY 1, 2, 3
                ON CONFLICT (name, agent_id, bucket_start)
                DO UPDATE SET value = counter_buckets.value + EXCLUDED.value""")
                .execute(Tuple.of(names, agents, times, values, bucketSeconds))
                .replaceWithVoid();
    }

    /** Sums per counter name over the last {@code windowSeconds} (global series, or one agent's). */
    public Uni<Map<String, Long>> sums(List<String> names, String agentId, int windowSeconds) {
        return pool.preparedQuery("""
                SELECT name, coalesce(sum(value), 0) AS total FROM counter_buckets
                 WHERE name = ANY($1::text[]) AND agent_id = $2
                   AND bucket_start >= to_timestamp(floor(extract(epoch FROM now() - $3::int * interval '1 second') / $4::int) * $4::int)
                 GROUP BY name""")
                .execute(Tuple.of(names.toArray(String[]::new), agentId == null ? "" : agentId, windowSeconds,
                        bucketSeconds))
                .map(rs -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    names.forEach(n -> out.put(n, 0L));
                    for (Row row : rs) {
                        out.put(row.getString("name"), row.getLong("total"));
                    }
                    return out;
                });
    }

    /** One counter's window sum. */
    public Uni<Long> sum(String name, String agentId, int windowSeconds) {
        return sums(List.of(name), agentId, windowSeconds).map(m -> m.getOrDefault(name, 0L));
    }

    /** Deletes buckets older than the retention. */
    public Uni<Integer> purgeOlderThan(long retentionSeconds) {
        return pool.preparedQuery("DELETE FROM counter_buckets WHERE bucket_start < now() - $1::bigint * interval '1 second'")
                .execute(Tuple.of(retentionSeconds)).map(rs -> rs.rowCount());
    }

    /** Global totals of every counter over the window, for GET /v1/counters. */
    public Uni<List<CounterTotal>> all(String agentId, int windowSeconds) {
        return pool.preparedQuery("""
                SELECT name, sum(value) AS total FROM counter_buckets
                 WHERE agent_id = $1
                   AND bucket_start >= to_timestamp(floor(extract(epoch FROM now() - $2::int * interval '1 second') / $3::int) * $3::int)
                 GROUP BY name ORDER BY name""")
                .execute(Tuple.of(agentId == null ? "" : agentId, windowSeconds, bucketSeconds))
                .map(rs -> {
                    List<CounterTotal> out = new ArrayList<>();
                    for (Row row : rs) {
                        out.add(new CounterTotal(row.getString("name"), row.getLong("total")));
                    }
                    return out;
                });
    }
}

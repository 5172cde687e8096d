package io.trustplane.telemetry.service;

import io.quarkus.scheduler.Scheduled;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.CounterRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps the hot tables bounded: counter buckets, processed event ids, score history and rollout samples older than
 * {@code counters.retention} are deleted (no window or redelivery reaches that far back).
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final CounterRepository counters;
    private final Pool pool;
    private final Duration retention;

    public RetentionJob(CounterRepository counters, Pool pool, TelemetryConfig config) {
        this.counters = counters;
        this.pool = pool;
        this.retention = config.counters().retention();
    }

    @Scheduled(every = "${trustplane.telemetry.counters.purge-interval}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            long seconds = retention.toSeconds();
            int buckets = counters.purgeOlderThan(seconds).await().atMost(Duration.ofMinutes(1));
            int rest = 0;
            for (String sql : new String[] {
                    "DELETE FROM processed_events WHERE processed_at < now() - $1::bigint * interval '1 second'",
                    "DELETE FROM score_history WHERE at < now() - $1::bigint * interval '1 second'",
                    "DELETE FROM rollout_samples WHERE at < now() - $1::bigint * interval '1 second'"}) {
                rest += pool.preparedQuery(sql).execute(Tuple.of(seconds)).await().atMost(Duration.ofMinutes(1)).rowCount();
            }
            if (buckets + rest > 0) {
                LOG.infof("retention: deleted %d counter buckets and %d other rows older than %s", buckets, rest, retention);
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention pass failed: %s", e.toString());
        }
    }
}

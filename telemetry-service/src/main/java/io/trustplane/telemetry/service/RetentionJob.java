package io.trustplane.telemetry.service;

import io.quarkus.scheduler.Scheduled;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.repository.IngestRepository;
import io.vertx.mutiny.sqlclient.Pool;
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
    private final IngestRepository ingest;
    private final Pool pool;
    private final Duration retention;
    private final Duration timeout;

    public RetentionJob(CounterRepository counters, IngestRepository ingest, Pool pool, TelemetryConfig config) {
        this.counters = counters;
        this.ingest = ingest;
        this.pool = pool;
        this.retention = config.counters().retention();
        this.timeout = config.counters().purgeTimeout();
    }

    @Scheduled(every = "${trustplane.telemetry.counters.purge-interval}", delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            long seconds = retention.toSeconds();
            int buckets = counters.purgeOlderThan(seconds).await().atMost(timeout);
            int rest = 0;
            for (IngestRepository.Purged table : IngestRepository.Purged.values()) {
                rest += ingest.purgeOlderThan(pool, table, seconds).await().atMost(timeout);
            }
            if (buckets + rest > 0) {
                LOG.infof("retention: deleted %d counter buckets and %d other rows older than %s", buckets, rest, retention);
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention pass failed: %s", e.toString());
        }
    }
}

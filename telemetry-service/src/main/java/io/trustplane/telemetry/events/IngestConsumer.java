package io.trustplane.telemetry.events;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.StreamConsumer;
import io.trustplane.common.events.Streams;
import io.trustplane.telemetry.config.TelemetryConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * This replica's member of the {@code telemetry-service} consumer group on {@code tp:events}. Entries are
 * acknowledged only after {@link EventIngestor} committed their effect; entries a dead member left pending are
 * claimed after {@code claim-idle}. On shutdown the member stops reading and finishes and acknowledges its batch.
 */
@ApplicationScoped
public class IngestConsumer {

    private static final Logger LOG = Logger.getLogger(IngestConsumer.class);

    private final RedisDataSource redis;
    private final EventPublisher codec;
    private final EventIngestor ingestor;
    private final TelemetryConfig.Ingest config;
    private final String consumerName = "telemetry-" + UUID.randomUUID();
    private StreamConsumer consumer;

    public IngestConsumer(RedisDataSource redis, EventPublisher codec, EventIngestor ingestor, TelemetryConfig config) {
        this.redis = redis;
        this.codec = codec;
        this.ingestor = ingestor;
        this.config = config.ingest();
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Stops before the HTTP queue drains (priority: observers with lower values run first). */
    void onStop(@Observes @Priority(10) ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (consumer != null) {
            return;
        }
        consumer = new StreamConsumer(redis, codec, Streams.EVENTS, config.group(), consumerName, config.batchSize(),
                config.block(), config.claimIdle(), (StreamConsumer.BatchHandler) ingestor::handleBatch);
        consumer.start();
        LOG.infof("consuming %s as %s/%s", Streams.EVENTS, config.group(), consumerName);
    }

    /** Stops reading; the batch in hand is finished and acknowledged before this returns. */
    public synchronized void stop() {
        if (consumer != null) {
            consumer.close();
            LOG.infof("consumer %s stopped after %d entries", consumerName, consumer.processed());
            consumer = null;
        }
    }

    public String consumerName() {
        return consumerName;
    }
}

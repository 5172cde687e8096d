package io.trustplane.telemetry.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.telemetry.repository.IngestRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stores a rollout sample a reporter with the service role posted (one arm's requests, errors and p95 latency) for
 * {@link RolloutGuard} to compare. A reporter's retry with the same id is stored once.
 */
@ApplicationScoped
public class RolloutSampleService {

    private final Pool pool;
    private final IngestRepository ingest;

    public RolloutSampleService(Pool pool, IngestRepository ingest) {
        this.pool = pool;
        this.ingest = ingest;
    }

    /** Stores the sample and answers its id: {@code sample:<reporter>:<id or a new UUIDv7>}. */
    public Uni<String> record(String reporter, String flag, boolean cohort, long requests, long errors,
            double p95LatencyMs, String id) {
        String sampleId = "sample:" + reporter + ":" + (id == null ? UuidV7.next().toString() : id);
        return ingest.rolloutSample(pool, flag, cohort, null, requests, errors, p95LatencyMs, sampleId)
                .replaceWith(sampleId);
    }
}

package io.trustplane.provenance.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.domain.NewRecord;
import io.trustplane.provenance.repository.LogRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Anchored events in the log: queues the record of a {@code tp:anchor} entry once per event id (the id and the record
 * in one transaction), and reads the anchors of a task's ledger entries back.
 */
@ApplicationScoped
public class AnchorService {

    private final Pool pool;
    private final LogRepository repository;
    private final ProvenanceConfig.Records config;

    public AnchorService(Pool pool, LogRepository repository, ProvenanceConfig config) {
        this.pool = pool;
        this.repository = repository;
        this.config = config.records();
    }

    /** Queues the record of an anchored event once per event id; false when the event was seen before. */
    public Uni<Boolean> append(String eventId, NewRecord record) {
        return pool.withTransaction(conn -> repository.markAnchored(conn, eventId, record.id())
                .chain(fresh -> fresh
                        ? LogRepository.insertPending(conn, record, null).replaceWith(true)
                        : Uni.createFrom().item(false)));
    }

    /** The integrated anchors of a task's ledger entries, in leaf order (any submitter: the leaf names it). */
    public Uni<List<LogRecord>> ledger(String taskId) {
        return repository.ledgerAnchors(taskId, config.maxLedgerAnchors());
    }
}

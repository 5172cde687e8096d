package io.trustplane.provenance.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.domain.Batch;
import io.trustplane.provenance.domain.Integration;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.repository.LogRepository;
import io.trustplane.provenance.repository.SequencerRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The group-commit loop of this replica. Each pass runs one integrating transaction that first takes the
 * cluster-wide advisory lock (so exactly one replica integrates at a time, and a dead one's lock dies with its
 * connection), takes up to a batch of pending records under the head's row lock, integrates them
 * ({@link Integration}) and stores them with one signed checkpoint for all of them, all in ONE transaction: a
 * sequencer killed at any point either published the whole batch or nothing, so no acknowledged record is lost and
 * no tree size ever gets two roots. Waiting requests on this replica are completed directly; the others learn of it
 * via NOTIFY or polling.
 */
@ApplicationScoped
public class Sequencer {

    private static final Logger LOG = Logger.getLogger(Sequencer.class);

    private final Pool pool;
    private final SequencerRepository repository;
    private final LogRepository log;
    private final NoteSigner signer;
    private final String origin;
    private final ProvenanceConfig.Sequencer config;
    private final EventPublisher events;
    private final Witnessing witnessing;
    private final Waiters waiters = new Waiters();
    private final Object monitor = new Object();
    private final Counter integrated;
    private final Counter batches;
    private final DistributionSummary batchSizes;
    private boolean signalled;
    private volatile boolean running;
    private Thread thread;

    public Sequencer(Pool pool, SequencerRepository repository, LogRepository log, LogKey key,
            ProvenanceConfig config, EventPublisher events, MeterRegistry registry, Witnessing witnessing) {
        this.pool = pool;
        this.repository = repository;
        this.log = log;
        this.signer = key.signer();
        this.origin = key.signer().name();
        this.config = config.sequencer();
        this.events = events;
        this.witnessing = witnessing;
        this.integrated = registry.counter("trustplane_provenance_records_integrated_total");
        this.batches = registry.counter("trustplane_provenance_batches_total");
        this.batchSizes = DistributionSummary.builder("trustplane_provenance_batch_size").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public Waiters waiters() {
        return waiters;
    }

    /** Starts this replica's loop (idempotent). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "provenance-sequencer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop after the batch in hand; pending records stay queued for any other sequencer. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        signal();
        try {
            thread.join(config.batchTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** A record was queued: integrate soon rather than at the next interval. */
    public void signal() {
        synchronized (monitor) {
            signalled = true;
            monitor.notifyAll();
        }
    }

    /** The checkpoint note for a tree of {@code size} with {@code root}. */
    public String sign(long size, byte[] root) {
        return signer.sign(NoteSigner.checkpointBody(origin, size, root));
    }

    private void run() {
        while (running) {
            Batch batch;
            try {
                batch = integrate().await().atMost(config.batchTimeout());
            } catch (RuntimeException e) {
                LOG.warnf("provenance sequencer: batch failed, retrying: %s", e.toString());
                pause(config.maxInterval());
                continue;
            }
            if (batch == null) {
                pause(config.lockRetry()); // another replica is integrating
            } else if (batch.isEmpty()) {
                pause(config.maxInterval());
            } else {
                published(batch);
            }
        }
    }

    /**
     * Integrates one batch. Emits null when another sequencer holds the lock, {@link Batch#EMPTY} when nothing
     * is pending.
     */
    Uni<Batch> integrate() {
        return pool.withTransaction(conn -> repository.tryLock(conn, config.lockKey()).chain(locked -> !locked
                ? Uni.createFrom().<Batch>nullItem()
                : repository.lockHead(conn).chain(head -> repository.pending(conn, config.batchSize())
                        .chain(pending -> pending.isEmpty()
                                ? Uni.createFrom().item(Batch.EMPTY)
                                : repository.nodes(conn, Merkle.frontier(head.size())).chain(frontier -> {
                                    Integration.Step step = Integration.integrate(head, frontier, pending,
                                            (r, submittedAt, createdAt) -> LeafEncoder.encode(r.id(), r.agentId(),
                                                    r.creationType(), r.parentId(), r.contentHash(),
                                                    r.metadataJson(), submittedAt, createdAt),
                                            this::sign);
                                    return repository.store(conn, step).replaceWith(step.batch());
                                })))));
    }

    private void published(Batch batch) {
        waiters.complete(batch.records());
        witnessing.offer(batch.treeSize()); // asynchronous: creates never wait for cosignatures
        integrated.increment(batch.records().size());
        batches.increment();
        batchSizes.record(batch.records().size());
        LOG.debugf("integrated %d records, tree size %d", batch.records().size(), batch.treeSize());
        // droppable (docs/events.md): the log itself is the record, and each checkpoint supersedes the one before
        for (LogRecord r : batch.records()) {
            events.fire(r.agentId(), new DomainEvent.ProvenanceCreated(r.id().toString(), r.leafIndex(),
                    r.creationType().name(), Base64.getEncoder().encodeToString(r.leafHash()), batch.treeSize()));
        }
        events.fire(origin, new DomainEvent.CheckpointPublished(origin, batch.treeSize(),
                Base64.getEncoder().encodeToString(batch.root()), batch.checkpoint()));
    }

    /** Completes waiters whose records another replica integrated (called on NOTIFY and by the poll). */
    public Uni<Void> completeFromTable(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return log.findByIds(ids).invoke(waiters::complete).replaceWithVoid();
    }

    private void pause(Duration timeout) {
        synchronized (monitor) {
            if (!signalled && running) {
                try {
                    monitor.wait(Math.max(1, timeout.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            signalled = false;
        }
    }
}

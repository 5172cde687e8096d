package io.trustplane.telemetry.service;

import io.trustplane.telemetry.domain.ingest.CounterLine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.CounterRepository;
import io.trustplane.telemetry.domain.ingest.CounterRow;
import io.trustplane.telemetry.repository.IngestRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between {@code POST /v1/events} and PostgreSQL. A request's lines enter only if the queue has
 * room for all of them (else the caller gets 429); one writer thread takes queued batches, writes many of them in
 * one transaction (group commit) and only then completes each request: a 202 therefore means "durably stored",
 * and nothing acknowledged can be lost. Lines with an id are idempotent across retries.
 */
@ApplicationScoped
public class IngestQueue {

    private static final Logger LOG = Logger.getLogger(IngestQueue.class);

    /** Why an offer was refused. */
    public enum Refusal { FULL, STOPPING }

    /** Outcome of an offer: a future completing when durable, or a refusal. */
    public record Offer(CompletableFuture<Integer> durable, Refusal refusal) {
    }

    private record Batch(List<CounterLine> lines, CompletableFuture<Integer> done) {
    }

    private final Pool pool;
    private final CounterRepository counters;
    private final IngestRepository ingest;
    private final RuleEngine rules;
    private final TelemetryConfig.Ingest config;
    private final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedLines = new AtomicInteger();
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final ReentrantLock writerGate = new ReentrantLock();
    private final Counter overflow;
    private final Counter accepted;
    private volatile Thread writer;
    private volatile boolean running = true;

    public IngestQueue(Pool pool, CounterRepository counters, IngestRepository ingest, RuleEngine rules,
            TelemetryConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.counters = counters;
        this.ingest = ingest;
        this.rules = rules;
        this.config = config.ingest();
        this.overflow = registry.counter("telemetry_ingest_overflow_total");
        this.accepted = registry.counter("telemetry_ingest_lines_total");
        registry.gauge("telemetry_ingest_queue_lines", queuedLines);
    }

    void onStart(@Observes StartupEvent event) {
        writer = new Thread(this::drainLoop, "ingest-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Reserves room for every line or none. */
    public Offer offer(List<CounterLine> lines) {
        if (!accepting.get()) {
            return new Offer(null, Refusal.STOPPING);
        }
        int n = lines.size();
        while (true) {
            int current = queuedLines.get();
            if (current + n > config.queueCapacity()) {
                overflow.increment();
                return new Offer(null, Refusal.FULL);
            }
            if (queuedLines.compareAndSet(current, current + n)) {
                break;
            }
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        queue.add(new Batch(lines, done));
        return new Offer(done, null);
    }

    public int queuedLines() {
        return queuedLines.get();
    }

    /**
     * Holds the writer until the returned handle is closed: queued lines stay queued (and the queue fills).
     * For maintenance and for tests that need a full queue deterministically.
     */
    public AutoCloseable holdWriter() {
        writerGate.lock();
        return writerGate::unlock;
    }

    private void drainLoop() {
        while (running || !queue.isEmpty()) {
            try {
                Batch first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writerGate.lock();
                try {
                    List<Batch> group = new ArrayList<>();
                    group.add(first);
                    int lines = first.lines().size();
                    Batch next;
                    while (lines < config.writerBatch() && (next = queue.poll()) != null) {
                        group.add(next);
                        lines += next.lines().size();
                    }
                    write(group);
                } finally {
                    writerGate.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<Batch> group) {
        List<CounterLine> all = new ArrayList<>();
        group.forEach(b -> all.addAll(b.lines()));
        try {
            List<String> ids = all.stream().map(CounterLine::id).filter(id -> id != null).toList();
            pool.withTransaction(conn -> ingest.markProcessed(conn, ids, "counter")
                    .flatMap(fresh -> counters.add(conn, rows(all, fresh))))
                    .await().atMost(config.writeTimeout());
            all.forEach(l -> l.derivedNames().forEach(rules::touched));
            accepted.increment(all.size());
            group.forEach(b -> b.done().complete(b.lines().size()));
        } catch (RuntimeException e) {
            LOG.warnf("could not store %d counter lines: %s", all.size(), e.toString());
            group.forEach(b -> b.done().completeExceptionally(e));
        } finally {
            queuedLines.addAndGet(-all.size());
        }
    }

    static List<CounterRow> rows(List<CounterLine> lines, Set<String> freshIds) {
        List<CounterRow> rows = new ArrayList<>();
        Set<String> unseen = new HashSet<>(freshIds);
        for (CounterLine l : lines) {
            if (l.id() != null && !unseen.remove(l.id())) {
                continue; // a retried line already stored, or its id repeated in this group
            }
            for (String name : l.derivedNames()) {
                if (l.global()) {
                    rows.add(new CounterRow(name, "", l.timestamp(), l.value()));
                }
                rows.add(new CounterRow(name, l.agentId(), l.timestamp(), l.value()));
            }
        }
        return rows;
    }

    /** Graceful shutdown: refuse new lines, then let the writer store everything already accepted. */
    void onStop(@Observes @Priority(20) ShutdownEvent event) {
        accepting.set(false);
        running = false;
        Thread w = writer;
        if (w != null) {
            try {
                w.join(config.drainTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!queue.isEmpty()) {
            LOG.warnf("shutdown left %d counter lines unwritten (their callers got no 2xx)", queuedLines.get());
        }
    }
}

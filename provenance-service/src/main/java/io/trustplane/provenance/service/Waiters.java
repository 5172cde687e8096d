package io.trustplane.provenance.service;

import io.trustplane.provenance.domain.LogRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests on this replica waiting for their record to be integrated. Completed directly by the local
 * sequencer, or after a NOTIFY / poll when another replica integrated them.
 */
public final class Waiters {

    /** One record's future, shared by the requests waiting for it (a create and its idempotent retries). */
    private record Waiter(CompletableFuture<LogRecord> future, long since, int requests) {
    }

    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();

    public CompletableFuture<LogRecord> register(UUID id) {
        return waiting.compute(id, (k, w) -> w == null ? new Waiter(new CompletableFuture<>(), System.nanoTime(), 1)
                : new Waiter(w.future(), w.since(), w.requests() + 1)).future();
    }

    /** One request no longer waits for {@code id}; the record is forgotten once none does. */
    public void forget(UUID id) {
        waiting.computeIfPresent(id, (k, w) -> w.requests() <= 1 ? null
                : new Waiter(w.future(), w.since(), w.requests() - 1));
    }

    /** How many requests on this replica wait for record {@code id}. */
    public int requests(UUID id) {
        Waiter w = waiting.get(id);
        return w == null ? 0 : w.requests();
    }

    public void complete(Collection<LogRecord> records) {
        for (LogRecord record : records) {
            Waiter w = waiting.remove(record.id());
            if (w != null) {
                w.future().complete(record);
            }
        }
    }

    /** Ids waiting longer than {@code olderThanNanos}: the ones the local sequencer did not (yet) complete. */
    public List<UUID> overdue(long olderThanNanos) {
        long cutoff = System.nanoTime() - olderThanNanos;
        return waiting.entrySet().stream().filter(e -> e.getValue().since() <= cutoff).map(Map.Entry::getKey)
                .toList();
    }

    public Set<UUID> ids() {
        return waiting.keySet();
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }
}

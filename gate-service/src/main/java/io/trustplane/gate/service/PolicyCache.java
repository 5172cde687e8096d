package io.trustplane.gate.service;

import io.trustplane.gate.domain.PolicySet;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.repository.PolicyRepository;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy snapshot evaluations read, never touching the database: reloaded when an invalidation names a
 * newer revision and periodically as a safety net. Only a newer revision replaces the current one, so
 * out-of-order reloads cannot move a replica backwards.
 */
public class PolicyCache {

    private static final Logger LOG = Logger.getLogger(PolicyCache.class);

    private final PolicyRepository repository;
    private final AtomicReference<PolicySet> current = new AtomicReference<>(PolicySet.EMPTY);

    public PolicyCache(PolicyRepository repository) {
        this.repository = repository;
    }

    public PolicySet current() {
        return current.get();
    }

    public Uni<PolicySet> reload() {
        return repository.loadAll().invoke(this::offer);
    }

    /** Reloads unless this replica already holds {@code revision} or newer. */
    public void onRevision(long revision) {
        if (current.get().revision() >= revision) {
            return;
        }
        reload().subscribe().with(s -> {
        }, f -> LOG.warnf("policy reload for revision %d failed: %s", revision, f.toString()));
    }

    void offer(PolicySet set) {
        current.accumulateAndGet(set, (old, fresh) -> fresh.revision() >= old.revision() ? fresh : old);
    }
}

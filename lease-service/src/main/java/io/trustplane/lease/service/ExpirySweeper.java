package io.trustplane.lease.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Expires lapsed leases on a schedule. Every replica runs it; the SQL skips rows another replica is expiring,
 * so a lease is expired (and announced) exactly once.
 */
@ApplicationScoped
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);

    private final LeaseService leases;

    public ExpirySweeper(LeaseService leases) {
        this.leases = leases;
    }

    @Scheduled(every = "${trustplane.lease.sweep-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return leases.sweepExpired()
                .onFailure().invoke(f -> LOG.debugf("expiry sweep failed, next sweep retries: %s", f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}

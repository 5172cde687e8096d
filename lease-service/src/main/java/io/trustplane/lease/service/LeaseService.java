package io.trustplane.lease.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventCodec;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.EventType;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.page.Keyset;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.config.LeaseConfig;
import io.trustplane.lease.events.LeaseNotice;
import io.trustplane.lease.events.LeaseNotifier;
import io.trustplane.lease.repository.LeaseRepository;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.domain.AcquireOutcome;
import io.trustplane.lease.domain.ContainedHolderException;
import io.trustplane.lease.domain.FencingVerdict;
import io.trustplane.lease.domain.LedgerChain;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import io.trustplane.common.idempotency.IdempotentTransactions;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.trustplane.lease.domain.Actor;
import io.trustplane.lease.domain.Lease;
import io.trustplane.lease.domain.Phase;

/** Lease rules: acquire, renew, release, force-release, query, fencing checks and expiry. */
@ApplicationScoped
public class LeaseService {

    private static final Logger LOG = Logger.getLogger(LeaseService.class);

    private final Pool pool;
    private final LeaseRepository leases;
    private final LedgerRepository ledger;
    private final LeaseConfig config;
    private final EventCodec codec;
    private final Outbox outbox;
    private final LeaseNotifier notifier;
    private final WorkflowMetrics metrics;
    private final IdempotentTransactions transactions;

    public LeaseService(Pool pool, LeaseRepository leases, LedgerRepository ledger, LeaseConfig config,
            EventPublisher events, Outbox outbox, LeaseNotifier notifier, WorkflowMetrics metrics,
            IdempotentTransactions transactions) {
        this.pool = pool;
        this.leases = leases;
        this.ledger = ledger;
        this.config = config;
        this.codec = events.codec();
        this.outbox = outbox;
        this.notifier = notifier;
        this.metrics = metrics;
        this.transactions = transactions;
    }

    /** The TTL to grant: the configured default when none is asked, refused above the configured maximum. */
    public Duration ttl(Integer ttlSeconds) {
        if (ttlSeconds == null) {
            return config.defaultTtl();
        }
        if (ttlSeconds < 1) {
            throw ProblemException.badRequest("ttlSeconds", "must be at least 1");
        }
        if (ttlSeconds > config.maxTtl().toSeconds()) {
            throw ProblemException.badRequest("ttlSeconds", "must be at most " + config.maxTtl().toSeconds());
        }
        return Duration.ofSeconds(ttlSeconds);
    }

    public Uni<Lease> acquire(Actor actor, String taskId, Phase phase, Integer ttlSeconds) {
        Duration ttl = ttl(ttlSeconds);
        // the grant's lease.acquired (and lease.expired of a lapsed holder it replaced) are written to the outbox by
        // the acquire statement itself: no added statement or round trip on this path
        // with an Idempotency-Key, that statement runs in a transaction that also holds the key and the answer
        return transactions.run(pool, client -> refuseContained(leases.acquire(client, taskId, phase, actor.id(), ttl,
                codec.template(actor.id(), EventType.LEASE_ACQUIRED), codec.template(null, EventType.LEASE_EXPIRED))))
                .map(outcome -> {
            if (outcome.expired() != null) {
                transactions.afterCommit(() -> {
                    outbox.committed();
                    expiredNotice(outcome.expired());
                });
            }
            if (!outcome.isGranted()) {
                metrics.leaseContention(actor.id(), taskId, phase, outcome.holder().holder());
                throw held(outcome.holder());
            }
            Lease l = outcome.granted();
            LOG.debugf("lease %s granted to %s on %s/%s token %d", l.leaseId(), l.holder(), taskId, phase, l.fencingToken());
            transactions.afterCommit(outbox::committed);
            return l;
        });
    }

    /** A grant the database refused for a contained holder answers 409 {@code holder_contained}. */
    public static Uni<AcquireOutcome> refuseContained(Uni<AcquireOutcome> grant) {
        return grant.onFailure(ContainedHolderException.class).transform(f -> contained());
    }

    /** 409: an operator contained the holder, so it may take no lease. */
    public static ProblemException contained() {
        return ProblemException.conflict("holder_contained", "the holder is contained by an operator: it may take "
                + "no lease until the containment is lifted");
    }

    /** 409 naming who holds the key and for how long. */
    public static ProblemException held(Lease holder) {
        return ProblemException.conflict("lease_held", "the lease on " + holder.taskId() + "/" + holder.phase()
                        + " is held by '" + holder.holder() + "'")
                .with("holder", holder.holder())
                .with("expiresInMs", holder.expiresInMs());
    }

    public Uni<Lease> renew(Actor actor, String leaseId, Integer ttlSeconds) {
        Duration ttl = ttl(ttlSeconds);
        UUID id = leaseId(leaseId);
        return pool.withTransaction(conn -> leases.lock(conn, id.toString()).chain(l -> {
            requireHolder(actor, leaseId, l, false);
            if (!l.live()) {
                throw ProblemException.conflict("lease_expired", "lease " + leaseId + " is no longer active");
            }
            if (l.renewals() >= config.maxRenewals()) {
                throw ProblemException.conflict("renewal_limit_reached", "lease " + leaseId + " was renewed "
                        + l.renewals() + " times, the most allowed; acquire a new lease").with("renewals", l.renewals());
            }
            return leases.renew(conn, leaseId, ttl).call(renewed -> outbox.write(conn, Outbox.event(actor.id(),
                    new DomainEvent.LeaseRenewed(renewed.leaseId(), renewed.taskId(), renewed.phase().name(),
                            renewed.holder(), renewed.fencingToken()))));
        })).invoke(l -> outbox.committed());
    }

    public Uni<Lease> release(Actor actor, String leaseId) {
        UUID id = leaseId(leaseId);
        // the common case (the holder releasing its live lease) is one statement; anything else takes the
        // locking path below, which names the reason
        // the one-statement path writes its lease.released to the outbox in that same statement
        return leases.releaseIfHolder(id.toString(), actor.id(), codec.template(actor.id(), EventType.LEASE_RELEASED))
                .onItem().ifNull().switchTo(() -> releaseOrExplain(actor, leaseId, id))
                .invoke(l -> outbox.committed());
    }

    private Uni<Lease> releaseOrExplain(Actor actor, String leaseId, UUID id) {
        return pool.withTransaction(conn -> leases.lock(conn, id.toString()).chain(l -> {
            requireHolder(actor, leaseId, l, false);
            if (!l.live()) {
                throw ProblemException.conflict("lease_expired", "lease " + leaseId + " is no longer active");
            }
            return leases.end(conn, leaseId, "RELEASED", "released by holder")
                    .call(ended -> outbox.write(conn, released(actor.id(), ended, null, null)));
        }));
    }

    /** An operator takes a lease away; the holder is told and the task's ledger records who and why. */
    public Uni<Lease> forceRelease(Actor actor, String leaseId, String reason) {
        UUID id = leaseId(leaseId);
        return pool.withTransaction(conn -> leases.lock(conn, id.toString()).chain(l -> {
            if (l == null) {
                throw ProblemException.notFound("lease", leaseId);
            }
            if (!l.isActive()) {
                throw ProblemException.conflict("lease_not_active", "lease " + leaseId + " is " + l.status());
            }
            return forceRelease(conn, actor, l, reason);
        })).map(l -> {
            outbox.committed();
            notifier.announce(LeaseNotice.of("lease.lost", l, reason));
            return l;
        });
    }

    /**
     * Takes every active lease of one holder away at once (an agent's containment): each ends FORCE_RELEASED with
     * its ledger entry, so its fencing token is no longer current. None held is an empty answer, not an error.
     */
    public Uni<List<Lease>> forceReleaseHolder(Actor actor, String holder, String reason, boolean contain) {
        return pool.withTransaction(conn -> (contain ? leases.contain(conn, holder, reason, actor.id())
                : Uni.createFrom().voidItem()).chain(() -> leases.lockActiveOf(conn, holder)).chain(held -> {
            Uni<List<Lease>> chain = Uni.createFrom().item(new java.util.ArrayList<>());
            for (Lease l : held) {
                // one after the other: two leases on one task append to the same ledger chain
                chain = chain.call(done -> forceRelease(conn, actor, l, reason).invoke(done::add));
            }
            return chain;
        })).map(released -> {
            if (!released.isEmpty()) {
                outbox.committed();
                LOG.infof("%d lease(s) of %s force-released by %s", released.size(), holder, actor.id());
            }
            released.forEach(l -> notifier.announce(LeaseNotice.of("lease.lost", l, reason)));
            return released;
        });
    }

    /** Lets a contained holder take leases again; false when it was not contained. */
    public Uni<Boolean> liftHolder(Actor actor, String holder) {
        return leases.lift(holder).invoke(lifted -> {
            if (lifted) {
                LOG.infof("containment of %s lifted by %s: it may take leases again", holder, actor.id());
            }
        });
    }

    private Uni<Lease> forceRelease(SqlClient conn, Actor actor, Lease l, String reason) {
        Map<String, Object> data = leaseData(l);
        data.put("reason", reason);
        return Uni.combine().all().unis(leases.end(conn, l.leaseId(), "FORCE_RELEASED", reason),
                        ledger.tail(conn, l.taskId())).asTuple()
                .chain(t -> {
                    List<LedgerChain.Prepared> entries = LedgerChain.prepare(t.getItem2(),
                            "LEASE_FORCE_RELEASED", actor.id(), data);
                    List<Outbox.Pending> events = new java.util.ArrayList<>(LedgerService.anchors(entries));
                    events.add(released(actor.id(), t.getItem1(), reason, true));
                    return Uni.combine().all().unis(ledger.write(conn, entries), outbox.write(conn, events))
                            .with((entry, written) -> t.getItem1());
                });
    }

    public Uni<Lease> find(Actor actor, String leaseId) {
        UUID id = leaseId(leaseId);
        return leases.find(id.toString()).map(l -> {
            requireHolder(actor, leaseId, l, true);
            return l;
        });
    }

    /**
     * One page of live leases in acquisition order; an agent sees only its own (naming another holder is a 403).
     * {@code limit} defaults to the configured query limit, which is also its maximum.
     */
    public Uni<Keyset.Page<Lease>> query(Actor actor, String taskId, Phase phase, String holder, String cursor,
            String limit) {
        if (!actor.privileged() && holder != null && !holder.equals(actor.id())) {
            throw new ProblemException(403, "forbidden", "an agent lists only its own leases",
                    List.of(new FieldViolation("holder", "must be the caller")), Map.of());
        }
        int size = Keyset.limit(limit, config.queryLimit(), config.queryLimit());
        Keyset after = Keyset.decode(cursor);
        return leases.query(taskId, phase, actor.privileged() ? holder : actor.id(),
                        after == null ? null : after.createdAt().atOffset(ZoneOffset.UTC),
                        after == null ? null : after.uuid(), size + 1)
                .map(rows -> Keyset.Page.of(rows, size, l -> new Keyset(l.acquiredAt(), l.leaseId())));
    }

    /** Whether {@code token} is the fencing token of the live lease of the key, by PostgreSQL's clock. */
    public Uni<FencingVerdict> fencingCheck(String taskId, Phase phase, long token) {
        return leases.fencing(taskId, phase).map(state -> FencingVerdict.of(taskId, phase, token, state));
    }

    /** Expires lapsed leases (any replica, any number of them) and tells their holders. */
    public Uni<Integer> sweepExpired() {
        return pool.withTransaction(conn -> leases.sweep(conn, config.sweepBatch())
                .call(expired -> outbox.write(conn, expired.stream().map(LeaseService::expiredEvent).toList())))
                .map(expired -> {
            if (!expired.isEmpty()) {
                outbox.committed();
            }
            expired.forEach(this::expiredNotice);
            return expired.size();
        });
    }

    /** Tells the holder of a lease that lapsed (its event was written with the change that expired it). */
    public void expiredNotice(Lease l) {
        if (l == null) {
            return;
        }
        LOG.infof("lease %s of %s on %s/%s expired", l.leaseId(), l.holder(), l.taskId(), l.phase());
        notifier.announce(LeaseNotice.of("lease.expired", l, "ttl"));
    }

    public static Outbox.Pending expiredEvent(Lease l) {
        return Outbox.event(l.holder(), new DomainEvent.LeaseExpired(l.leaseId(), l.taskId(), l.phase().name(),
                l.holder(), l.fencingToken()));
    }

    public static Outbox.Pending acquiredEvent(String actor, Lease l) {
        return Outbox.event(actor, new DomainEvent.LeaseAcquired(l.leaseId(), l.taskId(), l.phase().name(),
                l.holder(), l.fencingToken()));
    }

    public static Outbox.Pending released(String actor, Lease l, String reason, Boolean forced) {
        return Outbox.event(actor, new DomainEvent.LeaseReleased(l.leaseId(), l.taskId(), l.phase().name(),
                l.holder(), l.fencingToken(), reason, forced));
    }

    /** Renew and release are holder-only even for operators (they force-release); reading is not. */
    private static void requireHolder(Actor actor, String leaseId, Lease l, boolean privilegedAllowed) {
        if (l == null) {
            throw ProblemException.notFound("lease", leaseId);
        }
        if (!actor.id().equals(l.holder()) && !(privilegedAllowed && actor.privileged())) {
            throw new ProblemException(403, "not_lease_holder", "lease " + leaseId + " is held by another agent",
                    List.of(new FieldViolation("leaseId", "is held by another agent")), Map.of());
        }
    }

    static UUID leaseId(String leaseId) {
        try {
            return UUID.fromString(leaseId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.badRequest("leaseId", "must be a UUID");
        }
    }

    static Map<String, Object> leaseData(Lease l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leaseId", l.leaseId());
        m.put("taskId", l.taskId());
        m.put("phase", l.phase().name());
        m.put("holder", l.holder());
        m.put("fencingToken", l.fencingToken());
        return m;
    }
}

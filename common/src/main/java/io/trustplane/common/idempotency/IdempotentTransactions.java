package io.trustplane.common.idempotency;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the creating transaction of a route marked {@code @Idempotent(TRANSACTION)} with its {@code Idempotency-Key}
 * inside: the key is claimed by the transaction's first statement, and {@link IdempotencyFilters} stores the answer
 * and commits once the response is known. The key, the rows and the answer thus commit together or not at all: a
 * crash at any point leaves either all of them (a retry replays) or none (a retry runs); a concurrent request with
 * the same key waits on the key's row until this transaction ends, then replays its answer. A request without a key
 * (and every caller outside a request) gets a plain {@link Pool#withTransaction}: the same statements as before.
 * What a service does after such a transaction that others may act on belongs in {@link #afterCommit}.
 */
@ApplicationScoped
public class IdempotentTransactions {

    private static final Logger LOG = Logger.getLogger(IdempotentTransactions.class);

    private final Vertx vertx;
    private final long holdMillis;

    public IdempotentTransactions(Vertx vertx, IdempotencyConfig config) {
        this.vertx = vertx;
        this.holdMillis = config.pendingTtl().toMillis();
    }

    /**
     * {@code pool.withTransaction(work)}, holding the current request's key when it carries one. With a key, what
     * {@code work} yields is returned before the commit, which waits for the answer: what must follow the commit
     * goes through {@link #afterCommit}.
     */
    public <T> Uni<T> withTransaction(Pool pool, Function<SqlConnection, Uni<T>> work) {
        IdempotencyFilters.Claim claim = IdempotencyFilters.takePendingClaim();
        if (claim == null) {
            return pool.withTransaction(work);
        }
        return inTransaction(pool, claim, work);
    }

    /**
     * {@code work} on the pool as it is (its statements autocommit, as before) for a request without a key; inside a
     * transaction holding the key, as {@link #withTransaction}, for one with a key. For single-statement creations.
     */
    public <T> Uni<T> run(Pool pool, Function<SqlClient, Uni<T>> work) {
        IdempotencyFilters.Claim claim = IdempotencyFilters.takePendingClaim();
        if (claim == null) {
            return work.apply(pool);
        }
        return inTransaction(pool, claim, work::apply);
    }

    /**
     * Runs {@code action} once the current request's creating transaction has ended, or now when no transaction is
     * held open: what must follow a commit (a cache invalidation another replica acts on, an outbox wake-up) must
     * not run while an idempotent creation still waits for its answer.
     */
    public void afterCommit(Runnable action) {
        IdempotencyFilters.Claim claim = IdempotencyFilters.heldClaim();
        if (claim == null) {
            action.run();
        } else {
            claim.afterCommit().add(() -> {
                action.run();
                return Uni.createFrom().voidItem();
            });
        }
    }

    /** As {@link #afterCommit(Runnable)} for an action the answer waits for (a local cache reload). */
    public Uni<Void> afterCommitAwaited(Supplier<Uni<?>> action) {
        IdempotencyFilters.Claim claim = IdempotencyFilters.heldClaim();
        if (claim == null) {
            return Uni.createFrom().deferred(action).replaceWithVoid();
        }
        claim.afterCommit().add(action);
        return Uni.createFrom().voidItem();
    }

    /**
     * For a {@link Idempotent.Store#LINKED} route: the reference an earlier attempt with this request's key linked its
     * committed creation to, when that attempt's answer was never stored; the route then answers from it instead of
     * creating. Null when the route should create (no key, or a fresh claim).
     */
    public String resumed() {
        IdempotencyFilters.Claim claim = IdempotencyFilters.linkedClaim();
        return claim == null ? null : claim.resumed();
    }

    /**
     * For a {@link Idempotent.Store#LINKED} route: the statement that links the request's key to {@code reference},
     * to run inside the transaction that creates it (so the two commit together); it fails the transaction with the
     * 409 {@code idempotency_in_progress} when another attempt with the same key linked first. Taken now, on the
     * request's context; without a key it does nothing.
     */
    public Function<SqlClient, Uni<Void>> linkTo(String reference) {
        IdempotencyFilters.Claim claim = IdempotencyFilters.linkedClaim();
        if (claim == null || claim.resumed() != null) {
            return client -> Uni.createFrom().voidItem();
        }
        PostgresIdempotencyStore store = (PostgresIdempotencyStore) claim.store();
        return client -> store.linkIn(client, claim.key(), claim.fingerprint(), reference).map(linked -> {
            if (!linked) {
                throw IdempotencyFilters.inProgress();
            }
            return null;
        });
    }

    /**
     * {@code work} on the pool as it is (autocommit, as before) for a request without a {@code LINKED} key; with one,
     * inside a transaction that first links the key to {@code reference} ({@link #linkTo}). For single-statement
     * creations on {@code LINKED} routes.
     */
    public <T> Uni<T> runLinked(Pool pool, String reference, Function<SqlClient, Uni<T>> work) {
        IdempotencyFilters.Claim claim = IdempotencyFilters.linkedClaim();
        if (claim == null || claim.resumed() != null) {
            return work.apply(pool);
        }
        Function<SqlClient, Uni<Void>> link = linkTo(reference);
        return pool.withTransaction(connection -> link.apply(connection).chain(() -> work.apply(connection)));
    }

    private <T> Uni<T> inTransaction(Pool pool, IdempotencyFilters.Claim claim,
            Function<SqlConnection, Uni<T>> work) {
        PostgresIdempotencyStore store = (PostgresIdempotencyStore) claim.store();
        return pool.getConnection().flatMap(connection -> connection.begin()
                .flatMap(transaction -> store.claimIn(connection, claim.key(), claim.fingerprint())
                        .flatMap(held -> held == null ? work.apply(connection)
                                : Uni.createFrom().<T>failure(IdempotencyFilters.taken(held, claim)))
                        .invoke(result -> park(claim, new IdempotencyFilters.Parked(connection, transaction)))
                        .onFailure().call(f -> transaction.rollback().onFailure().recoverWithNull()))
                .onFailure().call(f -> connection.close()));
    }

    private void park(IdempotencyFilters.Claim claim, IdempotencyFilters.Parked parked) {
        claim.parked().set(parked);
        // a response that never reaches the filter (a dropped request) must not hold locks and a connection forever
        vertx.setTimer(holdMillis, id -> {
            IdempotencyFilters.Parked abandoned = claim.parked().getAndSet(null);
            if (abandoned != null) {
                LOG.warn("an idempotent creation was never answered; rolled back");
                rollback(abandoned).eventually(claim::ended).subscribe().with(x -> {
                }, f -> LOG.debugf("could not roll back: %s", f.toString()));
            }
        });
    }

    static Uni<Void> rollback(IdempotencyFilters.Parked parked) {
        return parked.transaction().rollback().onFailure().recoverWithNull()
                .eventually(() -> parked.connection().close());
    }
}

package io.trustplane.common.idempotency;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Keys in the service's own {@code idempotency_keys} table (every service migrates it from common's
 * {@code db/common}): a retry after a Redis or service restart still finds the first answer. One statement per step, as the Redis store: the claim is
 * an {@code INSERT … ON CONFLICT DO UPDATE … WHERE} that takes a new, expired or abandoned key in the same
 * statement that detects a live one (then read back), the answer is one {@code UPDATE}. Expired rows are
 * deleted in small batches, at most once per {@code sweepInterval}, by the claims themselves.
 * <p>
 * For {@link Idempotent.Store#TRANSACTION} routes the same claim and answer run inside the route's own transaction
 * ({@link #claimIn}, {@link #answerIn}): the key, the rows it created and its answer commit together or not at all,
 * and a concurrent claim of the same key waits for that transaction on the key's row. For
 * {@link Idempotent.Store#LINKED} routes the creating transaction writes the reference of what it created into the
 * claimed, unanswered key's {@code location} ({@link #linkIn}); such a key is neither taken over after
 * {@code pending-ttl} nor freed by a refused answer: its retry answers from the reference.
 */
final class PostgresIdempotencyStore implements IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(PostgresIdempotencyStore.class);

    private static final String CLAIM = "INSERT INTO idempotency_keys (key, fingerprint, pending_until, expires_at) "
            + "VALUES ($1, $2, now() + $3 * interval '1 millisecond', now() + $4 * interval '1 millisecond') "
            + "ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = NULL, content_type = NULL, "
            + "location = NULL, body = NULL, pending_until = EXCLUDED.pending_until, expires_at = EXCLUDED.expires_at "
            + "WHERE idempotency_keys.expires_at < now() "
            + "OR (idempotency_keys.status IS NULL AND idempotency_keys.location IS NULL "
            + "AND idempotency_keys.pending_until < now()) RETURNING key";
    private static final String READ = "SELECT fingerprint, status, content_type, location, body FROM idempotency_keys "
            + "WHERE key = $1";
    private static final String COMPLETE = "UPDATE idempotency_keys SET status = $2, content_type = $3, location = $4, "
            + "body = $5, expires_at = now() + $6 * interval '1 millisecond' WHERE key = $1 AND status IS NULL "
            + "AND fingerprint = $7";
    // the fingerprint too: a claim that outlived pending-ttl may have been taken over by a retry since
    // a linked key (what it created is committed) is never freed: its retry answers from the creation
    private static final String RELEASE = "DELETE FROM idempotency_keys WHERE key = $1 AND status IS NULL "
            + "AND location IS NULL AND fingerprint = $2";
    // LINKED routes: while unanswered, location holds the reference of what the first attempt created; only one
    // transaction can set it (the second waits on the row lock, then finds it set)
    private static final String LINK = "UPDATE idempotency_keys SET location = $3 WHERE key = $1 AND fingerprint = $2 "
            + "AND status IS NULL AND location IS NULL RETURNING key";
    private static final String SWEEP = "DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys "
            + "WHERE expires_at < now() LIMIT 1000)";

    private final Pool pool;
    private final long ttlMillis;
    private final long pendingMillis;
    private final long sweepNanos;
    private final LongSupplier clock;
    private final AtomicLong nextSweep;

    PostgresIdempotencyStore(Pool pool, Duration ttl, Duration pendingTtl, Duration sweepInterval, LongSupplier clock) {
        this.pool = pool;
        this.ttlMillis = ttl.toMillis();
        this.pendingMillis = pendingTtl.toMillis();
        this.sweepNanos = sweepInterval.toNanos();
        this.clock = clock;
        this.nextSweep = new AtomicLong(clock.getAsLong());
    }

    @Override
    public Uni<Held> claim(String key, String fingerprint) {
        return claimIn(pool, key, fingerprint);
    }

    /**
     * Claims {@code key} with the statements of {@code client} (the route's transaction, for
     * {@link Idempotent.Store#TRANSACTION}); null when claimed, else what the key holds. Inside a transaction the
     * claim waits while another transaction holds an uncommitted claim of the same key, then sees its outcome.
     */
    Uni<Held> claimIn(SqlClient client, String key, String fingerprint) {
        sweepIfDue();
        return client.preparedQuery(CLAIM).execute(Tuple.of(key, fingerprint, pendingMillis, ttlMillis))
                .flatMap(claimed -> claimed.iterator().hasNext() ? Uni.createFrom().nullItem()
                        : client.preparedQuery(READ).execute(Tuple.of(key)).map(PostgresIdempotencyStore::held));
    }

    /** Keeps the answer with the statements of {@code client}, the transaction that claimed the key. */
    Uni<Void> answerIn(SqlClient client, String key, Held answer) {
        return client.preparedQuery(COMPLETE).execute(Tuple.of(key, answer.status(), answer.type(),
                answer.location(), answer.body(), ttlMillis).addValue(answer.fingerprint())).replaceWithVoid();
    }

    /**
     * Links {@code key} (claimed, unanswered) to {@code reference} with the statements of {@code client}, the route's
     * creating transaction; false when another attempt linked it first, or it is no longer this request's claim.
     */
    Uni<Boolean> linkIn(SqlClient client, String key, String fingerprint, String reference) {
        return client.preparedQuery(LINK).execute(Tuple.of(key, fingerprint, reference))
                .map(rows -> rows.iterator().hasNext());
    }

    private static Held held(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            // the holder freed it between our claim and this read: report it as still running, the client retries
            return new Held(null, 0, null, null, null);
        }
        Row row = rows.iterator().next();
        Integer status = row.getInteger("status");
        return new Held(row.getString("fingerprint"), status == null ? 0 : status, row.getString("content_type"),
                row.getString("location"), row.getString("body"));
    }

    @Override
    public Uni<Void> complete(String key, Held answer) {
        return answerIn(pool, key, answer);
    }

    @Override
    public Uni<Void> release(String key, String fingerprint) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(key, fingerprint)).replaceWithVoid();
    }

    private void sweepIfDue() {
        long now = clock.getAsLong();
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + sweepNanos)) {
            return;
        }
        pool.query(SWEEP).execute().subscribe().with(deleted -> {
        }, failure -> LOG.debugf("could not delete expired idempotency keys: %s", failure.toString()));
    }
}

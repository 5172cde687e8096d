package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.Streams;
import io.trustplane.common.events.UuidV7;
import io.trustplane.lease.domain.AcquireOutcome;
import io.trustplane.lease.domain.ContainedHolderException;
import io.trustplane.lease.domain.FencingState;
import io.trustplane.lease.domain.Lease;
import io.trustplane.lease.domain.Phase;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * SQL for leases. Correctness rests on PostgreSQL alone: every grant locks the key's row in
 * {@code lease_keys}, judges expiry with {@code clock_timestamp()}, and increments the key's fencing counter
 * in the same transaction, so any number of replicas (or pools) can never hand out a key twice or reuse a
 * token. Plain enough to run on a second pool in tests, as a second replica would. Transactions belong to the
 * services: a method that joins one takes the service's connection.
 */
@ApplicationScoped
public class LeaseRepository {

    static final String COLUMNS = "lease_id, task_id, phase, holder, fencing_token, acquired_at, expires_at, "
            + "renewals, status, (status = 'ACTIVE' AND expires_at > clock_timestamp()) AS live, "
            + "GREATEST(0, floor(extract(epoch FROM (expires_at - clock_timestamp())) * 1000))::bigint AS expires_in_ms";

    private final Pool pool;

    public LeaseRepository(Pool pool) {
        this.pool = pool;
    }

    /** The lease fields of the lease events (DomainEvent.LeaseAcquired and friends), as jsonb, from row {@code r}. */
    private static final String LEASE_EVENT_DATA = "jsonb_build_object('leaseId', %1$s.lease_id, 'taskId', %1$s.task_id, "
            + "'phase', %1$s.phase, 'holder', %1$s.holder, 'fencingToken', %1$s.fencing_token)";

    /**
     * The acquire statement (built once: the hot path neither formats it nor hashes a new string for the client's
     * statement cache on every call).
     */
    private static final String ACQUIRE = "WITH r AS (SELECT * FROM tp_acquire_lease($1, $2, $3, $4, $5)), "
            + "o AS (INSERT INTO event_outbox (stream, payload) SELECT $8::text, CASE r.kind "
            + "WHEN 'granted' THEN jsonb_set($6::text::jsonb, '{data}', " + LEASE_EVENT_DATA.formatted("r") + ") "
            + "ELSE jsonb_set(jsonb_set($7::text::jsonb, '{subject}', to_jsonb(r.holder)), '{data}', "
            + LEASE_EVENT_DATA.formatted("r") + ") END::text FROM r WHERE r.kind IN ('expired', 'granted') "
            + "ORDER BY r.kind = 'granted') "
            + "SELECT * FROM r";

    /** The holder's release with its outbox row, built once as {@link #ACQUIRE}. */
    private static final String RELEASE_IF_HOLDER = "WITH u AS (UPDATE leases SET status = 'RELEASED', "
            + "ended_at = clock_timestamp(), end_reason = 'released by holder' WHERE lease_id = $1 AND holder = $2 "
            + "AND status = 'ACTIVE' AND expires_at > clock_timestamp() RETURNING " + COLUMNS + "), "
            + "o AS (INSERT INTO event_outbox (stream, payload) SELECT $4::text, "
            + "jsonb_set($3::text::jsonb, '{data}', " + LEASE_EVENT_DATA.formatted("u") + ")::text FROM u) "
            + "SELECT * FROM u";

    /**
     * Acquires in one statement (its own transaction): see {@code tp_acquire_lease} in the V2 migration. The same
     * statement writes the outbox rows of its outcome: {@code grantedEvent} (an envelope without data) completed
     * with the grant, {@code expiredEvent} with the lapsed lease it ended, if any, in that order.
     */
    public Uni<AcquireOutcome> acquire(String taskId, Phase phase, String holder, Duration ttl, String grantedEvent,
            String expiredEvent) {
        return acquire(pool, taskId, phase, holder, ttl, grantedEvent, expiredEvent);
    }

    /** The same statement on {@code client}: the pool, or a transaction that also holds an idempotency key. */
    public Uni<AcquireOutcome> acquire(SqlClient client, String taskId, Phase phase, String holder, Duration ttl,
            String grantedEvent, String expiredEvent) {
        return outcome(holder, client.preparedQuery(ACQUIRE)
                .execute(Tuple.from(new Object[] {UuidV7.next(), taskId, phase.name(), holder, ttl.toMillis() / 1000.0,
                        grantedEvent, expiredEvent, Streams.EVENTS})));
    }

    /** The SQLSTATE {@code tp_acquire_lease} raises for a contained holder (V61). */
    static final String CONTAINED = "TPC01";

    /** The grant's outcome; a contained holder fails with {@link ContainedHolderException} (the service's 409). */
    private static Uni<AcquireOutcome> outcome(String holder, Uni<RowSet<Row>> result) {
        return result.onFailure(f -> f instanceof PgException pg && CONTAINED.equals(pg.getSqlState()))
                .transform(f -> new ContainedHolderException(holder))
                .map(rows -> {
                    Lease held = null;
                    Lease expired = null;
                    Lease granted = null;
                    for (Row r : rows) {
                        switch (r.getString("kind")) {
                            case "held" -> held = map(r);
                            case "expired" -> expired = map(r);
                            case "granted" -> granted = map(r);
                            default -> throw new IllegalStateException("tp_acquire_lease returned " + r.getString("kind"));
                        }
                    }
                    return new AcquireOutcome(granted, held, expired);
                });
    }

    /**
     * Releases in one statement when the caller holds the live lease; null when it does not (the caller then
     * works out why: unknown, someone else's, or lapsed).
     */
    public Uni<Lease> releaseIfHolder(String leaseId, String holder, String releasedEvent) {
        // the lease.released outbox row ({@code releasedEvent} completed with the lease) is written by the same statement
        return pool.preparedQuery(RELEASE_IF_HOLDER)
                .execute(Tuple.of(UUID.fromString(leaseId), holder, releasedEvent, Streams.EVENTS))
                .map(LeaseRepository::first);
    }

    /** Names a holder as contained (in the caller's transaction): {@code tp_acquire_lease} refuses it from then on. */
    public Uni<Void> contain(SqlClient conn, String holder, String reason, String by) {
        // exclusive with the shared lock every acquire of this holder takes (V61): acquires in flight commit first
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('tp:holder:' || $1))")
                .execute(Tuple.of(holder)).chain(() -> conn.preparedQuery("INSERT INTO contained_holders (holder, reason, contained_by) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (holder) DO UPDATE SET reason = EXCLUDED.reason, contained_by = EXCLUDED.contained_by")
                .execute(Tuple.of(holder, reason, by))).replaceWithVoid();
    }

    /** Lifts a holder's containment; false when it was not contained. */
    public Uni<Boolean> lift(String holder) {
        return pool.preparedQuery("DELETE FROM contained_holders WHERE holder = $1").execute(Tuple.of(holder))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Ends an active lease with the given status. */
    public Uni<Lease> end(SqlClient conn, String leaseId, String status, String reason) {
        return conn.preparedQuery("UPDATE leases SET status = $2, ended_at = clock_timestamp(), end_reason = $3 "
                        + "WHERE lease_id = $1 AND status = 'ACTIVE' RETURNING " + COLUMNS)
                .execute(Tuple.of(UUID.fromString(leaseId), status, reason))
                .map(LeaseRepository::first);
    }

    /** Reads one lease and locks it for the rest of the transaction. */
    public Uni<Lease> lock(SqlClient conn, String leaseId) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM leases WHERE lease_id = $1 FOR UPDATE")
                .execute(Tuple.of(UUID.fromString(leaseId)))
                .map(LeaseRepository::first);
    }

    public Uni<Lease> renew(SqlClient conn, String leaseId, Duration ttl) {
        return conn.preparedQuery("UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $2), "
                        + "renewals = renewals + 1 WHERE lease_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(UUID.fromString(leaseId), ttl.toMillis() / 1000.0))
                .map(LeaseRepository::first);
    }

    public Uni<Lease> find(String leaseId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM leases WHERE lease_id = $1")
                .execute(Tuple.of(UUID.fromString(leaseId)))
                .map(LeaseRepository::first);
    }

    /**
     * Live leases in acquisition order (an immutable key: renewals move only the expiry) after the keyset position
     * {@code (afterAcquired, afterId)}, optionally filtered by task, phase and holder (null = any).
     */
    public Uni<List<Lease>> query(String taskId, Phase phase, String holder, OffsetDateTime afterAcquired,
            UUID afterId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM leases WHERE status = 'ACTIVE' "
                        + "AND expires_at > clock_timestamp() AND ($1::text IS NULL OR task_id = $1) "
                        + "AND ($2::text IS NULL OR phase = $2) AND ($3::text IS NULL OR holder = $3) "
                        + "AND ($4::timestamptz IS NULL OR (acquired_at, lease_id) > ($4, $5)) "
                        + "ORDER BY acquired_at, lease_id LIMIT $6")
                .execute(Tuple.from(Arrays.asList(taskId, phase == null ? null : phase.name(), holder, afterAcquired,
                        afterId, limit)))
                .map(LeaseRepository::all);
    }

    /** The live leases of one holder, locked, for an operator who takes them all away at once. */
    public Uni<List<Lease>> lockActiveOf(SqlClient conn, String holder) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM leases WHERE holder = $1 AND status = 'ACTIVE' "
                        + "ORDER BY acquired_at, lease_id FOR UPDATE")
                .execute(Tuple.of(holder))
                .map(LeaseRepository::all);
    }

    public Uni<FencingState> fencing(String taskId, Phase phase) {
        Tuple key = Tuple.of(taskId, phase.name());
        return pool.preparedQuery("SELECT k.last_token, l.* FROM lease_keys k LEFT JOIN LATERAL (SELECT " + COLUMNS
                        + " FROM leases WHERE task_id = k.task_id AND phase = k.phase AND status = 'ACTIVE') l ON true "
                        + "WHERE k.task_id = $1 AND k.phase = $2")
                .execute(key)
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new FencingState(0, null);
                    }
                    Row r = rows.iterator().next();
                    Lease l = r.getValue("lease_id") == null ? null : map(r);
                    return new FencingState(r.getLong("last_token"), l != null && l.live() ? l : null);
                });
    }

    /**
     * Expires up to {@code batch} lapsed leases. SKIP LOCKED lets every replica sweep at once without waiting
     * on each other or expiring a lease twice.
     */
    public Uni<List<Lease>> sweep(SqlClient conn, int batch) {
        return conn.preparedQuery("UPDATE leases SET status = 'EXPIRED', "
                        + "ended_at = clock_timestamp(), end_reason = 'ttl' WHERE lease_id IN (SELECT lease_id FROM leases "
                        + "WHERE status = 'ACTIVE' AND expires_at <= clock_timestamp() ORDER BY expires_at LIMIT $1 "
                        + "FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(batch))
                .map(LeaseRepository::all);
    }

    static Lease first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    static List<Lease> all(RowSet<Row> rows) {
        List<Lease> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    static Lease map(Row r) {
        return new Lease(r.getUUID("lease_id").toString(), r.getString("task_id"), Phase.valueOf(r.getString("phase")),
                r.getString("holder"), r.getLong("fencing_token"), r.getOffsetDateTime("acquired_at").toInstant(),
                r.getOffsetDateTime("expires_at").toInstant(), r.getInteger("renewals"), r.getString("status"),
                r.getBoolean("live"), r.getLong("expires_in_ms"));
    }
}

-- Acquire in one round trip. The steps are exactly the ones acquire() used to send as separate statements
-- inside a transaction: lock the key's row in lease_keys (upsert), read its ACTIVE lease, refuse if it is
-- live by PostgreSQL's clock, expire it if it lapsed, then issue the key's next fencing token and insert the
-- grant. Callers get one row per outcome: 'held' (the live lease), or 'expired' (the lapsed lease, if this
-- call ended it) followed by 'granted'. Running it inside a caller's transaction (phase hand-off) is the same
-- single statement.
CREATE FUNCTION tp_acquire_lease(p_lease_id uuid, p_task text, p_phase text, p_holder text, p_ttl_secs double precision)
RETURNS TABLE (kind text, lease_id uuid, task_id text, phase text, holder text, fencing_token bigint,
               acquired_at timestamptz, expires_at timestamptz, renewals int, status text, live boolean,
               expires_in_ms bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    cur leases%ROWTYPE;
    next_token bigint;
BEGIN
    INSERT INTO lease_keys AS k (task_id, phase) VALUES (p_task, p_phase)
        ON CONFLICT (task_id, phase) DO UPDATE SET last_token = k.last_token;
    SELECT * INTO cur FROM leases l WHERE l.task_id = p_task AND l.phase = p_phase AND l.status = 'ACTIVE';
    IF FOUND THEN
        IF cur.expires_at > clock_timestamp() THEN
            RETURN QUERY SELECT 'held'::text, cur.lease_id, cur.task_id, cur.phase, cur.holder, cur.fencing_token,
                cur.acquired_at, cur.expires_at, cur.renewals, cur.status, true,
                GREATEST(0, floor(extract(epoch FROM (cur.expires_at - clock_timestamp())) * 1000))::bigint;
            RETURN;
        END IF;
        UPDATE leases l SET status = 'EXPIRED', ended_at = clock_timestamp(), end_reason = 'ttl'
            WHERE l.lease_id = cur.lease_id AND l.status = 'ACTIVE' RETURNING l.* INTO cur;
        IF FOUND THEN -- else a sweeper ended it first and announced it
            RETURN QUERY SELECT 'expired'::text, cur.lease_id, cur.task_id, cur.phase, cur.holder, cur.fencing_token,
                cur.acquired_at, cur.expires_at, cur.renewals, cur.status, false, 0::bigint;
        END IF;
    END IF;
    UPDATE lease_keys k SET last_token = k.last_token + 1 WHERE k.task_id = p_task AND k.phase = p_phase
        RETURNING k.last_token INTO next_token;
    INSERT INTO leases AS l (lease_id, task_id, phase, holder, fencing_token, acquired_at, expires_at, renewals, status)
        VALUES (p_lease_id, p_task, p_phase, p_holder, next_token, clock_timestamp(),
                clock_timestamp() + make_interval(secs => p_ttl_secs), 0, 'ACTIVE')
        RETURNING l.* INTO cur;
    RETURN QUERY SELECT 'granted'::text, cur.lease_id, cur.task_id, cur.phase, cur.holder, cur.fencing_token,
        cur.acquired_at, cur.expires_at, cur.renewals, cur.status, true,
        GREATEST(0, floor(extract(epoch FROM (cur.expires_at - clock_timestamp())) * 1000))::bigint;
END
$$;

-- Holders an operator has contained (gate-service's containment force-releases their leases and names them here in
-- the same transaction): tp_acquire_lease refuses them (SQLSTATE TPC01, answered 409 holder_contained), so a
-- contained agent cannot take a new lease either, until the containment is lifted. One primary-key look-up inside
-- the acquire statement, after a shared advisory lock on the holder: no round trip is added.
CREATE TABLE contained_holders (
    holder       text PRIMARY KEY,
    reason       text        NOT NULL,
    contained_by text        NOT NULL,
    contained_at timestamptz NOT NULL DEFAULT now()
);

-- tp_acquire_lease as in V2, refusing a contained holder first.
CREATE OR REPLACE FUNCTION tp_acquire_lease(p_lease_id uuid, p_task text, p_phase text, p_holder text, p_ttl_secs double precision)
RETURNS TABLE (kind text, lease_id uuid, task_id text, phase text, holder text, fencing_token bigint,
               acquired_at timestamptz, expires_at timestamptz, renewals int, status text, live boolean,
               expires_in_ms bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    cur leases%ROWTYPE;
    next_token bigint;
BEGIN
    -- shared with every other acquire of this holder, exclusive with its containment (LeaseRepository.contain): a
    -- containment waits for acquires in flight to commit, so it finds and releases their leases, and an acquire
    -- after it sees the holder contained
    PERFORM pg_advisory_xact_lock_shared(hashtext('tp:holder:' || p_holder));
    IF EXISTS (SELECT 1 FROM contained_holders c WHERE c.holder = p_holder) THEN
        RAISE EXCEPTION 'holder % is contained', p_holder USING ERRCODE = 'TPC01';
    END IF;
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

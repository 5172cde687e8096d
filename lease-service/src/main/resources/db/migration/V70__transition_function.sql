-- The first step of a phase transition in one statement (TaskService.transition), as acquire is one (V2, V61).
-- It locks the task and the active lease of its current phase and answers both; when that lease is the caller's live
-- lease with the presented fencing token and the task's phase is one the caller says the move may leave (the
-- backtracks, and the forward step when its evidence passed the gate: the rules stay in Java), it also does what
-- the move needs before the ledger entry can be hashed, in the order the statements went before:
--   end the lease (HANDED_OFF), grant the target phase's lease through tp_acquire_lease itself, move the task,
--   claim or read the attestation baseline (when a spec hash is given), lock and read the ledger's end.
-- The caller still runs every check on the rows answered and rolls the transaction back when one fails, so these
-- effects are optimistic: a refused move leaves nothing. Rows, one per kind, in this order:
--   'task' (absent: no such task), 'current' (absent: no active lease), then when the move went ahead either
--   'contained' (the caller is contained, nothing granted), or tp_acquire_lease's rows ('held', or 'expired' then
--   'granted'), and after a grant 'moved', 'baseline' (with a spec hash) and 'tail'.
CREATE FUNCTION tp_transition(p_task text, p_to text, p_holder text, p_token bigint, p_departures text[],
                              p_lease_id uuid, p_ttl_secs double precision, p_reason text, p_spec_hash text)
RETURNS TABLE (kind text, lease_id uuid, task_id text, phase text, holder text, fencing_token bigint,
               acquired_at timestamptz, expires_at timestamptz, renewals int, status text, live boolean,
               expires_in_ms bigint, title text, description text, created_by text, version bigint,
               created_at timestamptz, updated_at timestamptz, claimed boolean, baseline_version int,
               spec_hash text, ledger_now text, ledger_seq bigint, ledger_hash text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    t tasks%ROWTYPE;
    cur leases%ROWTYPE;
    cur_live boolean;
    acq record;
    granted boolean := false;
    claims int;
    b_version int;
    b_hash text;
    tail_seq bigint;
    tail_hash text;
BEGIN
    SELECT * INTO t FROM tasks x WHERE x.task_id = p_task FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT 'task'::text, NULL::uuid, t.task_id, t.phase, NULL::text, NULL::bigint, NULL::timestamptz,
        NULL::timestamptz, NULL::int, NULL::text, NULL::boolean, NULL::bigint, t.title, t.description, t.created_by,
        t.version, t.created_at, t.updated_at, NULL::boolean, NULL::int, NULL::text, NULL::text, NULL::bigint,
        NULL::text;
    -- a fresh snapshot after the task's lock: the phase read is the one that lock now holds still
    SELECT * INTO cur FROM leases l WHERE l.task_id = p_task AND l.phase = t.phase AND l.status = 'ACTIVE' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    cur_live := cur.expires_at > clock_timestamp();
    RETURN QUERY SELECT 'current'::text, cur.lease_id, cur.task_id, cur.phase, cur.holder, cur.fencing_token,
        cur.acquired_at, cur.expires_at, cur.renewals, cur.status, cur_live,
        GREATEST(0, floor(extract(epoch FROM (cur.expires_at - clock_timestamp())) * 1000))::bigint,
        NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::boolean,
        NULL::int, NULL::text, NULL::text, NULL::bigint, NULL::text;
    IF NOT (cur_live AND cur.holder = p_holder AND cur.fencing_token = p_token AND t.phase = ANY (p_departures)) THEN
        RETURN; -- the caller's checks refuse this move
    END IF;

    UPDATE leases l SET status = 'HANDED_OFF', ended_at = clock_timestamp(), end_reason = p_reason
        WHERE l.lease_id = cur.lease_id AND l.status = 'ACTIVE';
    -- tp_acquire_lease refuses a contained holder by raising; answered as a row instead, so that the caller's checks
    -- still come first. The same shared lock, held from here on, keeps its own check from firing after this one.
    PERFORM pg_advisory_xact_lock_shared(hashtext('tp:holder:' || p_holder));
    IF EXISTS (SELECT 1 FROM contained_holders c WHERE c.holder = p_holder) THEN
        RETURN QUERY SELECT 'contained'::text, NULL::uuid, NULL::text, NULL::text, p_holder, NULL::bigint,
            NULL::timestamptz, NULL::timestamptz, NULL::int, NULL::text, NULL::boolean, NULL::bigint, NULL::text,
            NULL::text, NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::int,
            NULL::text, NULL::text, NULL::bigint, NULL::text;
        RETURN;
    END IF;
    FOR acq IN SELECT * FROM tp_acquire_lease(p_lease_id, p_task, p_to, p_holder, p_ttl_secs) LOOP
        granted := granted OR acq.kind = 'granted';
        RETURN QUERY SELECT acq.kind, acq.lease_id, acq.task_id, acq.phase, acq.holder, acq.fencing_token,
            acq.acquired_at, acq.expires_at, acq.renewals, acq.status, acq.live, acq.expires_in_ms, NULL::text,
            NULL::text, NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::int,
            NULL::text, NULL::text, NULL::bigint, NULL::text;
    END LOOP;
    IF NOT granted THEN
        RETURN; -- held by another agent: the caller refuses the move
    END IF;

    UPDATE tasks x SET phase = p_to, version = x.version + 1, updated_at = clock_timestamp()
        WHERE x.task_id = p_task RETURNING x.* INTO t;
    RETURN QUERY SELECT 'moved'::text, NULL::uuid, t.task_id, t.phase, NULL::text, NULL::bigint, NULL::timestamptz,
        NULL::timestamptz, NULL::int, NULL::text, NULL::boolean, NULL::bigint, t.title, t.description, t.created_by,
        t.version, t.created_at, t.updated_at, NULL::boolean, NULL::int, NULL::text, NULL::text, NULL::bigint,
        NULL::text;

    IF p_spec_hash IS NOT NULL THEN
        -- the claim goes through the partial unique index on active baselines; the read after it (a fresh
        -- snapshot) sees this claim or the one a concurrent first attestation committed while the claim waited
        INSERT INTO attestation_baselines AS a (task_id, phase, version, spec_hash, active, created_at)
            SELECT p_task, p_to, COALESCE((SELECT max(m.version) FROM attestation_baselines m
                                           WHERE m.task_id = p_task AND m.phase = p_to), 0) + 1,
                   p_spec_hash, true, clock_timestamp()
            ON CONFLICT (task_id, phase) WHERE active DO NOTHING;
        GET DIAGNOSTICS claims = ROW_COUNT;
        SELECT a.version, a.spec_hash INTO b_version, b_hash FROM attestation_baselines a
            WHERE a.task_id = p_task AND a.phase = p_to AND a.active;
        RETURN QUERY SELECT 'baseline'::text, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::bigint,
            NULL::timestamptz, NULL::timestamptz, NULL::int, NULL::text, NULL::boolean, NULL::bigint, NULL::text,
            NULL::text, NULL::text, NULL::bigint, NULL::timestamptz, NULL::timestamptz, claims > 0, b_version,
            b_hash, NULL::text, NULL::bigint, NULL::text;
    END IF;

    -- the task's ledger lock (as LedgerRepository.tail takes it), then the chain's end with a fresh snapshot
    PERFORM pg_advisory_xact_lock(hashtextextended(p_task, 7431));
    SELECT e.seq, e.hash INTO tail_seq, tail_hash FROM ledger_entries e WHERE e.task_id = p_task
        ORDER BY e.seq DESC LIMIT 1;
    RETURN QUERY SELECT 'tail'::text, NULL::uuid, p_task, NULL::text, NULL::text, NULL::bigint, NULL::timestamptz,
        NULL::timestamptz, NULL::int, NULL::text, NULL::boolean, NULL::bigint, NULL::text, NULL::text, NULL::text,
        NULL::bigint, NULL::timestamptz, NULL::timestamptz, NULL::boolean, NULL::int, NULL::text,
        to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), tail_seq, tail_hash;
END
$$;

-- lease-service schema: fenced leases, tasks and their phase, the hash-chained ledger, prompt attestations.

-- One row per (task, phase) key: the last fencing token handed out. Incremented in the same transaction as
-- every grant and never reset, so tokens strictly increase across expiry, release, restarts and replicas.
CREATE TABLE lease_keys (
    task_id    text   NOT NULL,
    phase      text   NOT NULL,
    last_token bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, phase)
);

-- Every grant ever made; at most one ACTIVE row per key (the partial unique index is the last line of defence
-- behind the row lock on lease_keys).
CREATE TABLE leases (
    lease_id      uuid        PRIMARY KEY,
    task_id       text        NOT NULL,
    phase         text        NOT NULL,
    holder        text        NOT NULL,
    fencing_token bigint      NOT NULL,
    acquired_at   timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    renewals      int         NOT NULL DEFAULT 0,
    status        text        NOT NULL,
    ended_at      timestamptz,
    end_reason    text,
    CONSTRAINT leases_status CHECK (status IN ('ACTIVE', 'RELEASED', 'EXPIRED', 'HANDED_OFF', 'FORCE_RELEASED'))
);
CREATE UNIQUE INDEX leases_one_active ON leases (task_id, phase) WHERE status = 'ACTIVE';
CREATE INDEX leases_active_expiry ON leases (expires_at) WHERE status = 'ACTIVE';
CREATE INDEX leases_active_holder ON leases (holder) WHERE status = 'ACTIVE';

CREATE TABLE tasks (
    task_id     text        PRIMARY KEY,
    title       text        NOT NULL,
    description text,
    phase       text        NOT NULL,
    created_by  text        NOT NULL,
    version     bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The per-task hash chain. body is the canonical JSON of the entry exactly as hashed:
-- hash = SHA-256(body || prev_hash), prev_hash of the genesis entry (seq 0) is 64 zeros.
CREATE TABLE ledger_entries (
    task_id    text        NOT NULL,
    seq        bigint      NOT NULL,
    kind       text        NOT NULL,
    body       text        NOT NULL,
    prev_hash  text        NOT NULL,
    hash       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (task_id, seq)
);

-- Prompt attestation: one active baseline per (task, phase); a reset deactivates it and the next attestation
-- becomes the baseline of the next version.
CREATE TABLE attestation_baselines (
    task_id      text        NOT NULL,
    phase        text        NOT NULL,
    version      int         NOT NULL,
    spec_hash    text        NOT NULL,
    active       boolean     NOT NULL,
    created_at   timestamptz NOT NULL,
    reset_at     timestamptz,
    reset_by     text,
    reset_reason text,
    PRIMARY KEY (task_id, phase, version)
);
CREATE UNIQUE INDEX attestation_baselines_active ON attestation_baselines (task_id, phase) WHERE active;

CREATE TABLE attestations (
    attestation_id   uuid        PRIMARY KEY,
    task_id          text        NOT NULL,
    phase            text        NOT NULL,
    agent_id         text        NOT NULL,
    spec_hash        text        NOT NULL,
    baseline_version int         NOT NULL,
    baseline         boolean     NOT NULL,
    drift            boolean     NOT NULL,
    severity         text,
    created_at       timestamptz NOT NULL
);
CREATE INDEX attestations_task_phase ON attestations (task_id, phase);

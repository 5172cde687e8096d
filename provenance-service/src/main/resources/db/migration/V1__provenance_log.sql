-- The provenance log: records waiting for the sequencer, integrated records (the leaves), the perfect-subtree
-- hashes proofs read, the signed checkpoints, and the single tree head the sequencer advances.

-- Integrated records: one row per leaf, leaf_index dense from 0. created_at is the integration time set by the
-- sequencer (inside the batch transaction, so it never decreases along leaf_index).
CREATE TABLE provenance_record (
    id              uuid        PRIMARY KEY,
    leaf_index      bigint      NOT NULL UNIQUE,
    agent_id        text        NOT NULL,
    creation_type   text        NOT NULL,
    parent_id       uuid        REFERENCES provenance_record (id),
    content_hash    text,
    metadata        jsonb       NOT NULL,
    submitted_at    timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    leaf            bytea       NOT NULL,   -- exact RFC 8785 bytes that were hashed
    leaf_hash       bytea       NOT NULL,
    parent_hash     bytea,
    checkpoint_size bigint      NOT NULL    -- the first checkpoint that covers this leaf
);

-- Keyset pagination (created_at, leaf_index) for every filter combination.
CREATE INDEX provenance_record_time_idx ON provenance_record (created_at, leaf_index);
CREATE INDEX provenance_record_agent_time_idx ON provenance_record (agent_id, created_at, leaf_index);
CREATE INDEX provenance_record_type_time_idx ON provenance_record (creation_type, created_at, leaf_index);
CREATE INDEX provenance_record_agent_type_time_idx
    ON provenance_record (agent_id, creation_type, created_at, leaf_index);
CREATE INDEX provenance_record_parent_idx ON provenance_record (parent_id) WHERE parent_id IS NOT NULL;

-- Durable queue of accepted records not yet in the tree. The parent must already be integrated (FK), so a
-- parent always precedes its child in the log and lineage can never loop.
CREATE TABLE pending_record (
    seq             bigserial   PRIMARY KEY,
    id              uuid        NOT NULL UNIQUE,
    agent_id        text        NOT NULL,
    creation_type   text        NOT NULL,
    parent_id       uuid        REFERENCES provenance_record (id),
    content_hash    text,
    metadata        jsonb       NOT NULL,
    submitted_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Anchored events already accepted from tp:anchor: makes the consumer idempotent by event id forever.
CREATE TABLE anchored_event (
    event_id    text        PRIMARY KEY,
    record_id   uuid        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Perfect-subtree hashes: level 0 holds leaf hashes, (level, idx) covers leaves [idx*2^level, (idx+1)*2^level).
-- Written once when complete, never changed; any proof reads O(log n) of them.
CREATE TABLE tree_node (
    level   smallint NOT NULL,
    idx     bigint   NOT NULL,
    hash    bytea    NOT NULL,
    PRIMARY KEY (level, idx)
);

-- One signed checkpoint per batch. The primary key on tree_size makes a fork (two roots for one size)
-- impossible even if two sequencers ever raced.
CREATE TABLE checkpoint (
    tree_size   bigint      PRIMARY KEY,
    root_hash   bytea       NOT NULL,
    note        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The current head; the sequencer locks this row in the batch transaction.
CREATE TABLE tree_head (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    tree_size   bigint      NOT NULL,
    root_hash   bytea       NOT NULL
);
-- SHA-256 of the empty string: the RFC 6962 hash of the empty tree.
INSERT INTO tree_head (id, tree_size, root_hash)
VALUES (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'));

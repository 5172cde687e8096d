-- Witness cosignatures (C2SP tlog-cosignature, cosignature/v1) returned by the witnesses the sequencer sends each
-- checkpoint to: one verified signature line per checkpoint and witness, appended to the checkpoint when it is
-- served. A checkpoint is final for clients that ask once it has the configured quorum of them.
CREATE TABLE checkpoint_cosignature (
    tree_size   bigint      NOT NULL REFERENCES checkpoint (tree_size),
    witness     text        NOT NULL,   -- the witness key's name
    line        text        NOT NULL,   -- the complete signature line, newline included
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tree_size, witness)
);

-- Silences: while one is in force, alerts its matchers match are still recorded but not notified.
-- A null matcher matches anything; at least one is set (checked by the API).
CREATE TABLE silences (
    id          uuid PRIMARY KEY,
    kind        text,
    agent_id    text,
    severity    text CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    created_by  text NOT NULL,
    comment     text NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT silences_window CHECK (ends_at > starts_at)
);
CREATE INDEX silences_ends ON silences (ends_at);

-- Every change of a silence: who, what, and the silence as it stood after.
CREATE TABLE silence_history (
    id         bigserial PRIMARY KEY,
    silence_id uuid NOT NULL REFERENCES silences (id),
    action     text NOT NULL,
    actor      text NOT NULL,
    snapshot   jsonb NOT NULL,
    at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX silence_history_silence ON silence_history (silence_id, id);

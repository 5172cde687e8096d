-- Idempotency-Key on the creating routes (common's IdempotencyFilters): the key (SHA-256 of caller and key), the
-- request's fingerprint and, once the first attempt succeeded, its answer. Kept in PostgreSQL so a retry after a
-- Redis or service restart replays; rows past expires_at are taken over by a new claim or swept in batches.
CREATE TABLE idempotency_keys (
    key           text PRIMARY KEY,
    fingerprint   text        NOT NULL,
    status        integer,
    content_type  text,
    location      text,
    body          text,
    pending_until timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);

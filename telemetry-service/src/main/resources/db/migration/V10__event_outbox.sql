-- Transactional outbox (docs/events.md): durable events are written here in the transaction of the state change
-- they describe and relayed to Redis Streams by io.trustplane.common.events.OutboxRelay, which deletes them once
-- appended. Ordered by id; one relay at a time per database (advisory lock), so rows leave in id order.
CREATE TABLE event_outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream     text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- telemetry-service schema: ingest idempotency, windowed counters, alert rules, alerts with history,
-- score history for gaming detection, derived inventory for stats, notification subscriptions and deliveries,
-- rollout samples for the rollout guard.

-- Every event (stream entry or HTTP counter line with an id) whose effect is stored; written in the same
-- transaction as the effect so a redelivered event changes nothing.
CREATE TABLE processed_events (
    event_id     TEXT PRIMARY KEY,
    event_type   TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Counters in fixed-width time buckets; agent_id '' is the global series. Windows sum the buckets.
CREATE TABLE counter_buckets (
    name         TEXT NOT NULL,
    agent_id     TEXT NOT NULL DEFAULT '',
    bucket_start TIMESTAMPTZ NOT NULL,
    value        BIGINT NOT NULL,
    PRIMARY KEY (name, agent_id, bucket_start)
);
CREATE INDEX counter_buckets_time ON counter_buckets (bucket_start);

-- Threshold rules (sum of a counter over a window) and ratio rules (numerator / denominator over a window).
CREATE TABLE alert_rules (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('THRESHOLD', 'RATIO')),
    counter         TEXT NOT NULL,
    denominator     TEXT,
    window_seconds  INTEGER NOT NULL CHECK (window_seconds > 0),
    threshold       DOUBLE PRECISION NOT NULL,
    min_denominator BIGINT NOT NULL DEFAULT 1,
    severity        TEXT NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    builtin         BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Seed 001's five alert rules (MONITORING_SETUP.md thresholds).
INSERT INTO alert_rules (id, name, description, kind, counter, denominator, window_seconds, threshold, severity, builtin) VALUES
 ('prompt-drift-high', 'High-severity prompt drift', 'any high-severity prompt drift in 5 minutes',
  'THRESHOLD', 'prompt_drift_detected.high', NULL, 300, 0, 'CRITICAL', TRUE),
 ('evidence-gate-failure-rate', 'Evidence gate failure rate', 'evidence-gate failures above 1 % of transition attempts over 1 hour',
  'RATIO', 'evidence_gate_failed', 'phase_transition_attempts', 3600, 0.01, 'HIGH', TRUE),
 ('lease-contention', 'Phase lease contention', 'more than 10 lease contentions per minute',
  'THRESHOLD', 'phase_lease_contention', NULL, 60, 10, 'MEDIUM', TRUE),
 ('validation-failure-rate', 'Phase validation failure rate', 'validation failures above 2 % of transition attempts over 10 minutes',
  'RATIO', 'phase_validations_failed', 'phase_transition_attempts', 600, 0.02, 'HIGH', TRUE),
 ('strategize-skipped', 'STRATEGIZE skipped', 'any attempt to skip the STRATEGIZE phase in 5 minutes',
  'THRESHOLD', 'strategize_skipped', NULL, 300, 0, 'CRITICAL', TRUE);

CREATE TABLE alerts (
    id          UUID PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('RULE', 'GAMING')),
    kind        TEXT NOT NULL,
    severity    TEXT NOT NULL,
    status      TEXT NOT NULL,
    agent_id    TEXT,
    title       TEXT NOT NULL,
    details     JSONB NOT NULL DEFAULT '{}'::jsonb,
    occurrences INTEGER NOT NULL DEFAULT 1,
    first_seen  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- deduplication: at most one open alert per fingerprint
CREATE UNIQUE INDEX alerts_open_fingerprint ON alerts (fingerprint) WHERE status IN ('ACTIVE', 'INVESTIGATING');
CREATE INDEX alerts_status_id ON alerts (status, id DESC);
CREATE INDEX alerts_agent_id ON alerts (agent_id, id DESC);

CREATE TABLE alert_history (
    id          BIGSERIAL PRIMARY KEY,
    alert_id    UUID NOT NULL REFERENCES alerts (id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

-- Trust score history per agent (from gate-service events), read by the gaming detectors.
CREATE TABLE score_history (
    agent_id TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    score    DOUBLE PRECISION NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (agent_id, at, event_id)
);

-- Inventory derived from consumed events, used by /v1/stats when the owning service is unreachable.
CREATE TABLE agents_seen (
    agent_id   TEXT PRIMARY KEY,
    tier       TEXT NOT NULL,
    score      DOUBLE PRECISION,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE leases_active (
    lease_id    TEXT PRIMARY KEY,
    acquired_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE log_size (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
    id                   UUID PRIMARY KEY,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('WEBHOOK', 'SLACK', 'PAGERDUTY')),
    url                  TEXT NOT NULL,
    secret               TEXT,
    event_types          TEXT[] NOT NULL,
    min_severity         TEXT NOT NULL,
    enabled              BOOLEAN NOT NULL DEFAULT TRUE,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    disabled_reason      TEXT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    subscription_id UUID NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('DELIVERED', 'FAILED')),
    attempts        INTEGER NOT NULL,
    http_status     INTEGER,
    error           TEXT,
    at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_subscription ON deliveries (subscription_id, id DESC);

-- Rollouts seen on the bus and the per-cohort samples the rollout guard compares.
CREATE TABLE rollouts (
    flag        TEXT PRIMARY KEY,
    percent     INTEGER NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    rolled_back_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE rollout_samples (
    flag        TEXT NOT NULL,
    cohort      TEXT NOT NULL CHECK (cohort IN ('COHORT', 'CONTROL')),
    at          TIMESTAMPTZ NOT NULL,
    requests    BIGINT NOT NULL,
    errors      BIGINT NOT NULL,
    p95_latency_ms DOUBLE PRECISION NOT NULL,
    event_id    TEXT NOT NULL,
    PRIMARY KEY (flag, cohort, at, event_id)
);

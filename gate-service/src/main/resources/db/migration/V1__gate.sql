-- Agents as registered; tier and effective score are derived in code from trust_score and frameworks.
CREATE TABLE agents (
    agent_id         text PRIMARY KEY,
    trust_score      integer NOT NULL CHECK (trust_score BETWEEN 0 AND 1000),
    frameworks       text[] NOT NULL DEFAULT '{}',
    attributes       jsonb NOT NULL DEFAULT '{}'::jsonb,
    suspended        boolean NOT NULL DEFAULT false,
    suspended_reason text,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Every score change, kept for gaming detection (rapid change, oscillation).
CREATE TABLE agent_score_history (
    id              bigserial PRIMARY KEY,
    agent_id        text NOT NULL REFERENCES agents (agent_id),
    old_score       integer,
    new_score       integer NOT NULL,
    effective_score integer NOT NULL,
    tier            text NOT NULL,
    cause           text NOT NULL,
    actor           text NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX agent_score_history_agent ON agent_score_history (agent_id, id DESC);

-- Policies of the POLICY layer; soft-deleted so versions stay explainable.
CREATE TABLE policies (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    priority         integer NOT NULL,
    role             text,
    tiers            text[] NOT NULL DEFAULT '{}',
    actions          text[] NOT NULL DEFAULT '{}',
    resource_pattern text NOT NULL DEFAULT '*',
    effect           text NOT NULL CHECK (effect IN ('ALLOW', 'DENY', 'ESCALATE')),
    enabled          boolean NOT NULL DEFAULT true,
    deleted          boolean NOT NULL DEFAULT false,
    version          bigint NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per policy change; its max(revision) is the policy-set revision caches compare.
CREATE TABLE policy_revisions (
    revision   bigserial PRIMARY KEY,
    policy_id  text NOT NULL REFERENCES policies (id),
    version    bigint NOT NULL,
    change     text NOT NULL,
    snapshot   jsonb NOT NULL,
    actor      text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE escalations (
    id            uuid PRIMARY KEY,
    evaluation_id uuid NOT NULL,
    agent_id      text NOT NULL,
    role          text NOT NULL,
    tier          text NOT NULL,
    resource_id   text,
    action        text,
    reason        text NOT NULL,
    status        text NOT NULL,
    n             integer NOT NULL,
    f             integer NOT NULL,
    deadline      timestamptz NOT NULL,
    decision      text,
    decided_by    text,
    decision_note text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz
);
-- The timeout sweeper looks only at open escalations past their deadline.
CREATE INDEX escalations_open_deadline ON escalations (deadline) WHERE status = 'OPEN';

CREATE TABLE escalation_votes (
    escalation_id uuid NOT NULL REFERENCES escalations (id),
    validator_id  text NOT NULL,
    approve       boolean NOT NULL,
    reason        text,
    voted_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (escalation_id, validator_id)
);

-- Verified outcomes of agents' claims (truth scoring).
CREATE TABLE agent_outcomes (
    id          bigserial PRIMARY KEY,
    agent_id    text NOT NULL REFERENCES agents (agent_id),
    claim       text NOT NULL,
    confirmed   boolean NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX agent_outcomes_agent ON agent_outcomes (agent_id, id DESC);

-- Staged rollouts.
CREATE TABLE flags (
    flag        text PRIMARY KEY,
    description text,
    stages      integer[] NOT NULL,
    stage_index integer NOT NULL DEFAULT 0,
    status      text NOT NULL,
    triggers    jsonb NOT NULL,
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE flag_history (
    id          bigserial PRIMARY KEY,
    flag        text NOT NULL REFERENCES flags (flag),
    action      text NOT NULL,
    from_percent integer NOT NULL,
    to_percent  integer NOT NULL,
    reason      text,
    actor       text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX flag_history_flag ON flag_history (flag, id DESC);

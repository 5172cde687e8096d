-- Tool-call decisions (the tool-call guard): one row per decision receipt issued, ALLOW, DENY or ESCALATE.
-- An ESCALATE row carries the escalation whose approval, once decided, may be used exactly once for a call with the
-- same agent, tool and argument digest; a granted call is a new ALLOW row naming the row it was approved from.
-- The post-execution report (result digest and status, its receipt) is written once onto the ALLOW row.
CREATE TABLE tool_calls (
    id               uuid PRIMARY KEY,
    agent_id         text        NOT NULL,
    call_id          text,
    tool             text        NOT NULL,
    resource         text,
    arguments_digest text        NOT NULL,
    summary          text,
    decision         text        NOT NULL CHECK (decision IN ('ALLOW', 'DENY', 'ESCALATE')),
    layer            text        NOT NULL,
    rule_id          text,
    reason           text,
    escalation_id    uuid,
    approved_from    uuid REFERENCES tool_calls (id),
    receipt          text        NOT NULL,
    receipt_hash     text        NOT NULL,
    issued_at        timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    approval_used_at timestamptz,
    result_status    text,
    result_digest    text,
    result_receipt   text,
    reported_at      timestamptz
);

-- the runtime's own id of a call (e.g. a tool_use_id) names one decision per agent
CREATE UNIQUE INDEX tool_calls_agent_call ON tool_calls (agent_id, call_id) WHERE call_id IS NOT NULL;
CREATE UNIQUE INDEX tool_calls_escalation ON tool_calls (escalation_id) WHERE escalation_id IS NOT NULL;
CREATE INDEX tool_calls_agent_issued ON tool_calls (agent_id, issued_at DESC);
-- approvals waiting to be used, looked up by the exact call they were given for
CREATE INDEX tool_calls_unused_approvals ON tool_calls (agent_id, tool, arguments_digest)
    WHERE decision = 'ESCALATE' AND approval_used_at IS NULL;

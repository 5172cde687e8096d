-- Keyset pages of the agent and escalation lists run in creation order (both keys are immutable).
CREATE INDEX agents_created ON agents (created_at, agent_id);
CREATE INDEX escalations_created ON escalations (created_at, id);
CREATE INDEX escalations_agent_created ON escalations (agent_id, created_at, id);

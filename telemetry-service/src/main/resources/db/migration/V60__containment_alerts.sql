-- A containment (gate-service's agent.contained) raises its own alert: neither a rule's nor a gaming detector's.
ALTER TABLE alerts DROP CONSTRAINT alerts_source_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_source_check CHECK (source IN ('RULE', 'GAMING', 'CONTAINMENT'));

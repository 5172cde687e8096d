-- Keyset pages of the task list run in creation order; the agent filter matches the task's creator.
CREATE INDEX tasks_created ON tasks (created_at, task_id);
CREATE INDEX tasks_created_by ON tasks (created_by, created_at, task_id);
-- Keyset pages of the active-lease list run in acquisition order.
CREATE INDEX leases_active_acquired ON leases (acquired_at, lease_id) WHERE status = 'ACTIVE';

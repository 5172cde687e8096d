-- Ledger verify asks which of a task's ledger entries are anchored: anchors of lease-service's ledger entries by task.
CREATE INDEX provenance_record_ledger_anchor_idx
    ON provenance_record ((metadata -> 'event' -> 'data' ->> 'taskId'))
    WHERE metadata ->> 'kind' = 'anchor' AND metadata -> 'event' ->> 'type' = 'ledger.appended';

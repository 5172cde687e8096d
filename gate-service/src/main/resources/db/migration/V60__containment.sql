-- An agent's containment (null = not contained): who contained it, when, why and everything it did (leases
-- force-released, approvals revoked, flags pinned to control, steps that failed), as the API shows it.
ALTER TABLE agents ADD COLUMN containment jsonb;

-- Seed 001's fifth rule, "phase_skips_attempted > 0 in 5m", was missing (only its STRATEGIZE special case existed),
-- and the evidence-gate rule divided by transition attempts, which counted one failed gate twice. The built-in
-- rules now read what the Helm PrometheusRule reads (E2E test AlertRulesAgreeWithHelmTest compares them):
--   evidence_gate_failed / evidence_gate_checked > 1 % over 1 h (HIGH)
--   phase_skips_attempted > 0 in 5 m (CRITICAL), STRATEGIZE skips included.
-- The ratio rules' minimum sample (min_denominator) is left at its default here: the operator issue sets it.
UPDATE alert_rules SET denominator = 'evidence_gate_checked', version = version + 1, updated_at = now()
 WHERE id = 'evidence-gate-failure-rate' AND builtin;

INSERT INTO alert_rules (id, name, description, kind, counter, denominator, window_seconds, threshold, severity, builtin) VALUES
 ('phase-skips-attempted', 'Phase skip attempted', 'any attempt to skip a work-process phase in 5 minutes',
  'THRESHOLD', 'phase_skips_attempted', NULL, 300, 0, 'CRITICAL', TRUE)
ON CONFLICT (id) DO NOTHING;

package io.trustplane.lease.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/attestations/stats}: attestation and drift counts, in total, by severity and by phase. */
public record AttestationStats(long total, long baselines, long drifts, double driftRate,
        Map<String, Long> bySeverity, Map<String, PhaseCounts> byPhase) {

    /** One phase's attestations and drifts. */
    public record PhaseCounts(long total, long drifts) {
    }

    /** The counts of one phase as stored: attestations, baselines, drifts, and drifts per severity. */
    public record PhaseTally(String phase, long total, long baselines, long drifts, long low, long medium, long high) {
    }

    /** Totals over the phases' tallies; every severity is listed, with 0 when none was seen. */
    public static AttestationStats of(List<PhaseTally> tallies) {
        long total = 0;
        long baselines = 0;
        long drifts = 0;
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (DriftSeverity s : DriftSeverity.values()) {
            bySeverity.put(s.label(), 0L);
        }
        Map<String, PhaseCounts> byPhase = new LinkedHashMap<>();
        for (PhaseTally t : tallies) {
            total += t.total();
            baselines += t.baselines();
            drifts += t.drifts();
            bySeverity.merge(DriftSeverity.LOW.label(), t.low(), Long::sum);
            bySeverity.merge(DriftSeverity.MEDIUM.label(), t.medium(), Long::sum);
            bySeverity.merge(DriftSeverity.HIGH.label(), t.high(), Long::sum);
            byPhase.put(t.phase(), new PhaseCounts(t.total(), t.drifts()));
        }
        return new AttestationStats(total, baselines, drifts, total == 0 ? 0.0 : (double) drifts / total, bySeverity,
                byPhase);
    }
}

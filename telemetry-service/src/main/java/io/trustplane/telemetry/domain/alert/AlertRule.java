package io.trustplane.telemetry.domain.alert;

/**
 * One alert rule. THRESHOLD fires when {@code sum(counter) > threshold} over the window; RATIO fires when
 * {@code sum(counter) / sum(denominator) > threshold} and the denominator reached {@code minDenominator}.
 */
public record AlertRule(String id, String name, String description, RuleKind kind, String counter,
        String denominator, int windowSeconds, double threshold, long minDenominator, Severity severity,
        boolean enabled, boolean builtin, int version) {

    /** Whether the rule fires on these window sums (denominator ignored for THRESHOLD). */
    public boolean fires(long numerator, long denominatorSum) {
        return fires(numerator, denominatorSum, 1);
    }

    /**
     * Whether the rule fires, a RATIO rule only once the denominator reached the larger of its own
     * {@code minDenominator} and the configured minimum sample.
     */
    public boolean fires(long numerator, long denominatorSum, long minSample) {
        if (kind == RuleKind.THRESHOLD) {
            return numerator > threshold;
        }
        if (denominatorSum < Math.max(1, Math.max(minDenominator, minSample))) {
            return false;
        }
        return (double) numerator / denominatorSum > threshold;
    }

    public String fingerprint() {
        return "rule:" + id;
    }
}

package io.trustplane.gate.domain;

/** Where usage stands against a ceiling after a check. */
public enum CeilingStatus {
    COMPLIANT, WARNING, VIOLATION;

    /** VIOLATION when refused; WARNING when usage reached the warning share of the limit. */
    public static CeilingStatus of(boolean allowed, long used, long limit, double warningRatio) {
        if (!allowed) {
            return VIOLATION;
        }
        return limit > 0 && used >= Math.ceil(limit * warningRatio) ? WARNING : COMPLIANT;
    }
}

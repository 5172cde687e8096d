package io.trustplane.gate.rest;

/** Patterns shared by request validation; ids use the one pattern of every service (common's {@code Ids}). */
final class Ids {

    /** Agent, flag and caller ids. */
    static final String ID = io.trustplane.common.validation.Ids.PATTERN;
    /** Role names and resource types. */
    static final String NAME = "[A-Za-z0-9_.:-]{1,64}";
    /** A tier name or its alias, any case; enum-typed fields would bypass the problem+json field naming. */
    static final String TIER = "(?i)UNKNOWN|BASIC|VERIFIED|TRUSTED|PRIVILEGED|T[0-4]";
    static final String TIER_MESSAGE = "must be one of UNKNOWN, BASIC, VERIFIED, TRUSTED, PRIVILEGED or T0-T4";
    static final String DECISION = "ALLOW|DENY|ESCALATE";
    static final String DECISION_MESSAGE = "must be one of ALLOW, DENY, ESCALATE";
    static final String FRAMEWORK = "EU_AI_ACT|ISO_42001|NIST_AI_RMF";
    static final String FRAMEWORK_MESSAGE = "must be one of EU_AI_ACT, ISO_42001, NIST_AI_RMF";
    static final String ID_MESSAGE = io.trustplane.common.validation.Ids.MESSAGE;
    static final String NAME_MESSAGE = "must match " + NAME;

    private Ids() {
    }
}

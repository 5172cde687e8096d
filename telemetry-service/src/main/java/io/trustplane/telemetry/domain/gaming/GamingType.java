package io.trustplane.telemetry.domain.gaming;

import io.trustplane.telemetry.domain.EnumNames;
import io.trustplane.telemetry.domain.alert.Severity;

import java.util.Optional;

/** The gaming patterns telemetry detects (seed 002), each with the severity its alert carries. */
public enum GamingType {
    RAPID_CHANGE(Severity.HIGH),
    OSCILLATION(Severity.MEDIUM),
    BOUNDARY_TESTING(Severity.MEDIUM),
    /** MEDIUM on its own; the detector raises it to HIGH when breaches repeat inside the window. */
    CEILING_BREACH(Severity.MEDIUM),
    /** A tool call reported as run without a matching ALLOW from the tool-call guard (or with other arguments). */
    UNAUTHORIZED_TOOL_CALL(Severity.HIGH);

    private final Severity severity;

    GamingType(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    public String fingerprint(String agentId) {
        return "gaming:" + name() + ":" + agentId;
    }

    public static Optional<GamingType> parse(Object value) {
        return EnumNames.parse(GamingType.class, value);
    }
}

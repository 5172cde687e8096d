package io.trustplane.gate.domain;

import com.fasterxml.jackson.annotation.JsonAlias;

import java.util.Locale;

/** The five trust tiers, lowest first; {@code T0}–{@code T4} are accepted as aliases on input. */
public enum Tier {
    @JsonAlias("T0") UNKNOWN,
    @JsonAlias("T1") BASIC,
    @JsonAlias("T2") VERIFIED,
    @JsonAlias("T3") TRUSTED,
    @JsonAlias("T4") PRIVILEGED;

    /** The short alias ({@code T0}–{@code T4}) of this tier. */
    public String alias() {
        return "T" + ordinal();
    }

    /** How many tiers this one sits below {@code required}; zero or negative when it meets it. */
    public int distanceTo(Tier required) {
        return required.ordinal() - ordinal();
    }

    /** Parses a tier name or its T0–T4 alias, case-insensitively (JSON input uses the aliases above). */
    public static Tier parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.length() == 2 && v.charAt(0) == 'T' && v.charAt(1) >= '0' && v.charAt(1) <= '4') {
            return values()[v.charAt(1) - '0'];
        }
        for (Tier t : values()) {
            if (t.name().equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be one of UNKNOWN, BASIC, VERIFIED, TRUSTED, PRIVILEGED or T0-T4");
    }
}

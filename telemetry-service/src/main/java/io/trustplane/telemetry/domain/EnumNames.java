package io.trustplane.telemetry.domain;

import java.util.Locale;
import java.util.Optional;

/** Lenient reading of the enum names producers send in event fields and tags ("high", " HIGH "). */
public final class EnumNames {

    private EnumNames() {
    }

    /** The constant of {@code type} that {@code value} names in any case, empty when none or null. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, Object value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, value.toString().trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

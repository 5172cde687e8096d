package io.trustplane.common.page;

import io.trustplane.common.problem.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The opaque position of a keyset page: the last item's immutable sort key (creation time to the microsecond, as
 * PostgreSQL stores it, and a unique id breaking ties), base64url-encoded. Lists order by {@code (created_at, id)}
 * ascending and continue strictly after the cursor, so an item present when the first page was read is listed
 * exactly once whatever is inserted meanwhile, and no item is ever listed twice.
 */
public record Keyset(Instant createdAt, String id) {

    /** The largest page a list hands out. */
    public static final int MAX_LIMIT = 500;
    /** The page size when the caller names none. */
    public static final int DEFAULT_LIMIT = 50;

    /** No row is created after this; a cursor beyond it was not made here (and PostgreSQL's range ends soon after). */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public Keyset {
        createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    }

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a previous page, null for the first; anything else is a 400 naming {@code cursor}. */
    public static Keyset decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon < 1 || colon == text.length() - 1) {
                throw new IllegalArgumentException();
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(text.substring(0, colon)), ChronoUnit.MICROS);
            if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
                throw new IllegalArgumentException();
            }
            return new Keyset(at, text.substring(colon + 1));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw ProblemException.badRequest("cursor", "not a cursor returned by this service");
        }
    }

    /**
     * The id, for lists keyed by UUIDs; an id that is not one means the cursor was not made here: a 400 naming
     * {@code cursor}.
     */
    public UUID uuid() {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor", "not a cursor returned by this service");
        }
    }

    /** The page size asked for: the default when absent, a 400 naming {@code limit} outside 1..{@value #MAX_LIMIT}. */
    public static int limit(String limit) {
        return limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /**
     * The page size asked for, read here rather than by JAX-RS (which answers 404 to a query parameter that is not
     * a number): {@code fallback} when absent, a 400 naming {@code limit} when not a number in 1..max.
     */
    public static int limit(String limit, int fallback, int max) {
        if (limit == null || limit.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("limit", "must be a whole number between 1 and " + max);
    }

    /** An RFC 3339 instant query parameter (null when absent); anything else is a 400 naming it. */
    public static Instant instant(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(parameter, "must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z");
        }
    }

    /** One page and the cursor of the next (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {

        /**
         * Cuts the {@code size + 1} rows a query fetched to a page: the extra row only says another page exists.
         */
        public static <T> Page<T> of(List<T> rows, int size, Function<T, Keyset> key) {
            if (rows.size() <= size) {
                return new Page<>(rows, null);
            }
            List<T> items = List.copyOf(rows.subList(0, size));
            return new Page<>(items, key.apply(items.get(size - 1)).encode());
        }

        public <R> Page<R> map(Function<T, R> f) {
            return new Page<>(items.stream().map(f).toList(), nextCursor);
        }
    }
}

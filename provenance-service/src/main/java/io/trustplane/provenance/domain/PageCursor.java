package io.trustplane.provenance.domain;

import io.trustplane.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/** The opaque keyset position of a page: the last record's (createdAt, leafIndex), base64url-encoded. */
public record PageCursor(Instant createdAt, long leafIndex) {

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + leafIndex).getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor from a previous page; anything else is a 400 naming {@code cursor}. */
    public static PageCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException();
            }
            return new PageCursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS),
                    Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor", "not a cursor returned by this service");
        }
    }
}

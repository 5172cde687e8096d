package io.trustplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The JSON envelope of every event on {@code tp:events} and {@code tp:anchor}:
 * {@code {"id": UUIDv7, "type": "lease.expired", "source": "lease-service", "subject": agentId,
 * "time": RFC 3339, "data": {...}}}. Consumers are idempotent by {@code id}. On {@code tp:anchor} the envelope also
 * carries {@code "auth"}: the producing service's HMAC over the rest ({@link AnchorAuth}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(String id, String type, String source, String subject, Instant time,
        Map<String, Object> data, String auth) {

    public EventEnvelope {
        data = data == null ? Map.of() : data;
    }

    /** An envelope without an authenticator (everything on tp:events). */
    public EventEnvelope(String id, String type, String source, String subject, Instant time,
            Map<String, Object> data) {
        this(id, type, source, subject, time, data, null);
    }

    /** The same event carrying {@code auth}, its producer's {@link AnchorAuth} tag (entries on tp:anchor). */
    public EventEnvelope withAuth(String auth) {
        return new EventEnvelope(id, type, source, subject, time, data, auth);
    }

    public static EventEnvelope of(String type, String source, String subject, Map<String, Object> data) {
        return new EventEnvelope(UuidV7.next().toString(), type, source, subject,
                Instant.now().truncatedTo(ChronoUnit.MICROS), data);
    }
}

package io.trustplane.telemetry.domain.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A silence: between {@code startsAt} and {@code endsAt}, alerts whose kind (the rule id or gaming pattern), agent
 * and severity match the non-null matchers are recorded as usual but not notified.
 */
public record Silence(String id, String kind, String agentId, Severity severity, String createdBy, String comment,
        Instant startsAt, Instant endsAt, Instant createdAt, Instant updatedAt) {

    /** One audited change: CREATED or EXPIRED, by whom, when (RFC 3339), and the silence as it was recorded. */
    public record HistoryEntry(String action, String actor, String at, Map<String, Object> silence) {
    }

    /** Whether the silence is in force at {@code now}. */
    public String state(Instant now) {
        if (now.isBefore(startsAt)) {
            return "PENDING";
        }
        return now.isBefore(endsAt) ? "ACTIVE" : "EXPIRED";
    }

    /** The record that is audited and anchored. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("silenceId", id);
        m.put("kind", kind);
        m.put("agentId", agentId);
        m.put("severity", severity == null ? null : severity.name());
        m.put("createdBy", createdBy);
        m.put("comment", comment);
        m.put("startsAt", startsAt.toString());
        m.put("endsAt", endsAt.toString());
        return m;
    }
}

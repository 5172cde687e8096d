package io.trustplane.telemetry.domain.alert;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** An alert as stored and served; {@code history} is filled only where asked for (GET /v1/alerts/{id}, PATCH). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(String id, String fingerprint, String source, String kind, Severity severity, AlertStatus status,
        String agentId, String title, Map<String, Object> details, int occurrences, OffsetDateTime firstSeen,
        OffsetDateTime lastSeen, OffsetDateTime updatedAt, List<HistoryEntry> history) {

    /** One state change: who moved the alert, when, why. */
    public record HistoryEntry(AlertStatus from, AlertStatus to, String actor, String reason, OffsetDateTime at) {
    }

    public Alert withHistory(List<HistoryEntry> entries) {
        return new Alert(id, fingerprint, source, kind, severity, status, agentId, title, details, occurrences,
                firstSeen, lastSeen, updatedAt, entries);
    }
}

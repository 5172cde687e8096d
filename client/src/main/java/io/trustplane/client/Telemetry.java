package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.Accepted;
import io.trustplane.client.Model.AlertPage;
import io.trustplane.client.Model.Counter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Telemetry: an agent's own counters, and the alerts raised from the suite's events. */
public final class Telemetry {

    private final Transport transport;
    private final Duration deadline;

    Telemetry(Transport transport, Duration deadline) {
        this.transport = transport;
        this.deadline = deadline;
    }

    /** Reports counter lines for {@code agentId} (the caller itself unless it is privileged). */
    public Accepted report(String agentId, List<Counter> counters) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (agentId != null) {
            body.put("agentId", agentId);
        }
        body.put("counters", counters);
        return transport.call(Routes.EVENTS_POST, Routes.EVENTS_POST.path(), body, deadline, Accepted.class);
    }

    /** A page of alerts, filtered by status and severity when given. */
    public AlertPage alerts(String status, String severity, String cursor) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("status", status);
        q.put("severity", severity);
        q.put("cursor", cursor);
        return transport.call(Routes.ALERTS_LIST, Routes.ALERTS_LIST.path() + Query.of(q), null, deadline, AlertPage.class);
    }

    public JsonNode alert(String id) {
        return transport.call(Routes.ALERT_GET, Routes.ALERT_GET.expand(id), null, deadline, JsonNode.class);
    }
}

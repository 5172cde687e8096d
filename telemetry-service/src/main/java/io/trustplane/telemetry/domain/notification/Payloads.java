package io.trustplane.telemetry.domain.notification;

import io.trustplane.telemetry.domain.alert.Severity;

import io.trustplane.common.events.EventEnvelope;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies each subscription kind receives. Slack: {@code text} plus {@code blocks}; PagerDuty Events v2:
 * {@code routing_key, event_action (trigger|acknowledge|resolve), dedup_key, payload{summary, source, severity,
 * timestamp, component, group, class, custom_details}}; webhook: the event envelope itself.
 */
public final class Payloads {

    private Payloads() {
    }

    public static Map<String, Object> slack(EventEnvelope e, Severity severity) {
        String title = String.valueOf(e.data().getOrDefault("title", e.type()));
        String status = String.valueOf(e.data().getOrDefault("status", ""));
        String text = "[" + (severity == null ? "INFO" : severity.name()) + "] " + title
                + (status.isEmpty() ? "" : " — " + status);
        Map<String, Object> section = Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + text + "*"));
        String context = "type `" + e.type() + "`" + agentSuffix(e) + " · alert `" + e.data().getOrDefault("alertId", "-")
                + "` · " + e.time();
        Map<String, Object> ctx = Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", context)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("blocks", List.of(section, ctx));
        return body;
    }

    public static Map<String, Object> pagerDuty(EventEnvelope e, Severity severity, String routingKey) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", String.valueOf(e.data().getOrDefault("title", e.type())));
        payload.put("source", e.source() == null ? "trustplane" : e.source());
        payload.put("severity", pagerDutySeverity(severity));
        payload.put("timestamp", String.valueOf(e.time()));
        payload.put("component", String.valueOf(e.data().getOrDefault("kind", e.type())));
        payload.put("group", String.valueOf(e.data().getOrDefault("source", "trustplane")));
        payload.put("class", e.type());
        payload.put("custom_details", e.data());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_key", routingKey);
        body.put("event_action", pagerDutyAction(e.type()));
        body.put("dedup_key", String.valueOf(e.data().getOrDefault("fingerprint", e.id())));
        body.put("payload", payload);
        return body;
    }

    static String pagerDutySeverity(Severity s) {
        if (s == null) {
            return "info";
        }
        return switch (s) {
            case CRITICAL -> "critical";
            case HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "info";
        };
    }

    static String pagerDutyAction(String type) {
        return switch (type) {
            case "alert.resolved" -> "resolve";
            case "alert.updated" -> "acknowledge";
            default -> "trigger";
        };
    }

    private static String agentSuffix(EventEnvelope e) {
        return e.subject() == null ? "" : " · agent `" + e.subject() + "`";
    }
}

package io.trustplane.telemetry.domain.alert;

import java.util.Map;

/** What a rule or detector reports; alerts with the same fingerprint while one is open are one alert. */
public record NewAlert(String fingerprint, String source, String kind, Severity severity, String agentId,
        String title, Map<String, Object> details) {
}

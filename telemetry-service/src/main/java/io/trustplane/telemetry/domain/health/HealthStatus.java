package io.trustplane.telemetry.domain.health;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/** Seed 003's service statuses, and how a readiness answer and a cluster of statuses map onto them. */
public enum HealthStatus {
    HEALTHY, DEGRADED, UNHEALTHY, UNKNOWN;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * One poll of {@code /q/health/ready}: 200 within the latency budget is healthy, 200 but slow is degraded,
     * 503 with some checks still UP is degraded, any other answer or no answer is unhealthy.
     */
    public static HealthStatus classify(Integer httpStatus, Duration latency, Duration degradedLatency,
            int checksUp, int checksDown) {
        if (httpStatus == null) {
            return UNHEALTHY;
        }
        if (httpStatus == 200) {
            return latency.compareTo(degradedLatency) > 0 ? DEGRADED : HEALTHY;
        }
        if (httpStatus == 503 && checksUp > 0 && checksDown > 0) {
            return DEGRADED;
        }
        return UNHEALTHY;
    }

    /** A status older than the staleness bound is unknown. */
    public static HealthStatus current(HealthStatus last, Duration age, Duration staleAfter) {
        return last == null || age.compareTo(staleAfter) > 0 ? UNKNOWN : last;
    }

    /** The cluster: unhealthy if any service is, healthy only if all are, degraded otherwise. */
    public static HealthStatus cluster(Collection<HealthStatus> services) {
        if (services.isEmpty()) {
            return UNKNOWN;
        }
        if (services.contains(UNHEALTHY)) {
            return UNHEALTHY;
        }
        if (services.stream().allMatch(s -> s == HEALTHY)) {
            return HEALTHY;
        }
        if (services.stream().allMatch(s -> s == UNKNOWN)) {
            return UNKNOWN;
        }
        return DEGRADED;
    }
}

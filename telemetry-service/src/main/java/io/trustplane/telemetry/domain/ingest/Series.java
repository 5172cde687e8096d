package io.trustplane.telemetry.domain.ingest;

import java.util.List;
import java.util.Map;

/**
 * Global counters per step for the dashboard's charts: step start times (epoch seconds, oldest first) and, per counter,
 * the sum of each step (0 when empty).
 */
public record Series(long windowSeconds, long stepSeconds, List<Long> timestamps, Map<String, List<Long>> values) {
}

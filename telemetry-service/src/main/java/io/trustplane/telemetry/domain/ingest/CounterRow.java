package io.trustplane.telemetry.domain.ingest;

import java.time.OffsetDateTime;

/** One increment to store: {@code agentId} '' is the global series; a null time means "now" (PostgreSQL's). */
public record CounterRow(String name, String agentId, OffsetDateTime at, long value) {
}

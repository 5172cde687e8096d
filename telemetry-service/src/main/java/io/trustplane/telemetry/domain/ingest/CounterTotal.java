package io.trustplane.telemetry.domain.ingest;

/** One counter's total over a window ({@code GET /v1/counters}). */
public record CounterTotal(String name, long value) {
}

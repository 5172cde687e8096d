package io.trustplane.telemetry.rest;

import java.util.List;
import java.util.Map;

/**
 * The shapes of the answers the telemetry resources build as maps, named for the OpenAPI document (the resources do
 * not use them yet; typing the answers themselves is a separate change).
 */
public final class ResponseBodies {

    private ResponseBodies() {
    }

    /** {@code GET /v1/counters}: one counter's total over the window. */
    public record CounterTotal(String name, long value) {
    }

    /** {@code GET /v1/silences/{id}}: the silence and its history (created, expired, each with who and when). */
    public record SilenceDetail(SilencesResource.SilenceView silence, List<Map<String, Object>> history) {
    }
}

package io.trustplane.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured load run: throughput, latency percentiles (milliseconds) and errors, plus what it is compared
 * with. {@code opsPerSecond} counts whole operations (a request, or an acquire+release pair).
 */
public record Measurement(String scenario, String tool, int connections, double seconds, long requests,
        long operations, double opsPerSecond, double p50Ms, double p95Ms, double p99Ms, double maxMs,
        long errors, Map<String, Object> notes) {

    /** The same figures under another scenario name (the same load measured in another setting). */
    public Measurement renamed(String name) {
        return new Measurement(name, tool, connections, seconds, requests, operations, opsPerSecond, p50Ms, p95Ms,
                p99Ms, maxMs, errors, notes);
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("tool", tool);
        m.put("connections", connections);
        m.put("seconds", seconds);
        m.put("requests", requests);
        m.put("operations", operations);
        m.put("opsPerSecond", Math.round(opsPerSecond));
        m.put("p50Ms", round(p50Ms));
        m.put("p95Ms", round(p95Ms));
        m.put("p99Ms", round(p99Ms));
        m.put("maxMs", round(maxMs));
        m.put("errors", errors);
        m.put("errorRate", errorRate());
        m.put("notes", notes);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

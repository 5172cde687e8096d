package io.trustplane.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Events put straight onto the two streams to watch their consumers: telemetry's group on {@code tp:events}
 * and provenance's on {@code tp:anchor}. Some are appended twice (a redelivery), some are left pending on a
 * member that "died" (read, never acknowledged). Afterwards every probe must have had its effect exactly once:
 * one {@code processed_events} row and a counter equal to the number of probes in telemetry; one anchored
 * record per probe in the provenance log; nothing left pending on the dead member.
 */
final class StreamProbe {

    static final String EVENTS = "tp:events";
    static final String ANCHOR = "tp:anchor";
    static final String TELEMETRY_GROUP = "telemetry-service";
    static final String PROVENANCE_GROUP = "provenance-service";

    private final Cluster cluster;
    private final String tag;
    private final List<String> eventIds = new CopyOnWriteArrayList<>();
    private final List<String> anchorIds = new CopyOnWriteArrayList<>();
    private long abandoned;
    private long appended;

    StreamProbe(Cluster cluster, String tag) {
        this.cluster = cluster;
        this.tag = tag;
    }

    private String type() {
        return "chaos.probe." + tag;
    }

    private String deadMember() {
        return "chaos-dead-" + tag;
    }

    private static String event(String id, String type, String tag) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("type", type);
        e.put("source", "chaos");
        e.put("subject", "chaos-probe");
        e.put("time", Instant.now().toString());
        e.put("data", Map.of("tag", tag));
        return Http.write(e);
    }

    /**
     * An anchor probe as lease-service would put it on tp:anchor: provenance appends only entries tagged with the
     * named producer's key (HMAC-SHA256 over the envelope's RFC 8785 form: keys sorted, no whitespace).
     */
    private String anchor(String id, String tag) {
        Map<String, Object> e = new java.util.TreeMap<>();
        e.put("id", id);
        e.put("type", "chaos.anchor." + tag);
        e.put("source", "lease-service");
        e.put("subject", "chaos-probe");
        e.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        e.put("data", Map.of("tag", tag));
        String canonical = Http.write(e);
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(cluster.suite.keys().anchorKey("lease-service"), "HmacSHA256"));
            String auth = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return canonical.substring(0, canonical.length() - 1) + ",\"auth\":\"" + auth + "\"}";
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Appends {@code n} probes to each stream; with {@code twice}, every probe is appended a second time. */
    void publish(int n, boolean twice) {
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            String anchor = UUID.randomUUID().toString();
            for (int copy = 0; copy < (twice ? 2 : 1); copy++) {
                cluster.redis.xadd(EVENTS, event(id, type(), tag));
                cluster.redis.xadd(ANCHOR, anchor(anchor, tag));
                appended += 2;
            }
            eventIds.add(id);
            anchorIds.add(anchor);
        }
    }

    /** Appends {@code n} probes to each stream that a member reads and never acknowledges (it "died"). */
    void abandon(int n) {
        List<String> events = new ArrayList<>();
        List<String> anchors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            String anchor = UUID.randomUUID().toString();
            events.add(event(id, type(), tag));
            anchors.add(anchor(anchor, tag));
            eventIds.add(id);
            anchorIds.add(anchor);
        }
        abandoned += cluster.redis.addAndAbandon(EVENTS, TELEMETRY_GROUP, deadMember(), events).size();
        abandoned += cluster.redis.addAndAbandon(ANCHOR, PROVENANCE_GROUP, deadMember(), anchors).size();
        appended += 2L * n;
    }

    long abandoned() {
        return abandoned;
    }

    long appended() {
        return appended;
    }

    int probes() {
        return eventIds.size() + anchorIds.size();
    }

    /** True once every probe had its effect and nothing is pending on the dead member any more. */
    boolean settled() throws Exception {
        return processedByTelemetry() == eventIds.size() && anchoredByProvenance() == anchorIds.size()
                && cluster.redis.pendingOn(EVENTS, TELEMETRY_GROUP, deadMember()) == 0
                && cluster.redis.pendingOn(ANCHOR, PROVENANCE_GROUP, deadMember()) == 0;
    }

    long processedByTelemetry() throws Exception {
        try (Connection c = cluster.db(Cluster.TELEMETRY);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM processed_events WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            return single(ps);
        }
    }

    /** Probes integrated into the log (anchored_event is written with the pending record; this counts leaves). */
    long anchoredByProvenance() throws Exception {
        try (Connection c = cluster.db(Cluster.PROVENANCE);
                PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT metadata->'event'->>'id') "
                        + "FROM provenance_record WHERE metadata->'event'->>'id' = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", anchorIds.toArray()));
            return single(ps);
        }
    }

    /** Effects beyond one per probe: a counter above the number of probes, a probe anchored twice. */
    Workload.Verification verify() throws Exception {
        long duplicates = 0;
        long lost = 0;
        List<String> samples = new ArrayList<>();
        long processed = processedByTelemetry();
        long anchored = anchoredByProvenance();
        lost += eventIds.size() - processed;
        lost += anchorIds.size() - anchored;
        if (lost > 0) {
            samples.add(processed + "/" + eventIds.size() + " probes processed by telemetry, " + anchored + "/"
                    + anchorIds.size() + " anchored by provenance");
        }
        try (Connection c = cluster.db(Cluster.TELEMETRY);
                PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(value), 0) FROM counter_buckets "
                        + "WHERE name = ? AND agent_id = ''")) {
            ps.setString(1, "events." + type());
            long counted = single(ps);
            if (counted != eventIds.size()) {
                duplicates += Math.abs(counted - eventIds.size());
                samples.add("telemetry counted " + counted + " probes for " + eventIds.size() + " distinct events");
            }
        }
        try (Connection c = cluster.db(Cluster.PROVENANCE);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM provenance_record "
                        + "WHERE metadata->'event'->>'id' = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", anchorIds.toArray()));
            long records = single(ps);
            if (records != anchored) {
                duplicates += records - anchored;
                samples.add(records + " log records for " + anchored + " anchored probes");
            }
        }
        return new Workload.Verification("streams", probes(), lost, duplicates, samples);
    }

    private static long single(PreparedStatement ps) throws Exception {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.trustplane.telemetry.domain.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums a batch's counter rows per (name, agent, bucket) before they are sent, with the bucketing of the counter
 * upsert: {@code floor(epoch / width) * width}. Each group is sent as one row at its bucket start, which the upsert
 * puts in the same bucket as every row of the group: flooring is monotonic, so clamping the bucket start to now()
 * lands where clamping each row's own time would. Rows without a time ("now") form groups of their own.
 */
public final class CounterBuckets {

    /** PostgreSQL's epoch; timestamps travel as whole microseconds from it, truncated toward it. */
    private static final OffsetDateTime PG_EPOCH = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private CounterBuckets() {
    }

    private record Key(String name, String agentId, OffsetDateTime bucket) {
    }

    /** The rows summed per key, in first-seen order; {@code ''} and {@code null} agents are the same global series. */
    public static List<CounterRow> aggregate(List<CounterRow> rows, int bucketSeconds) {
        Map<Key, Long> sums = new LinkedHashMap<>();
        for (CounterRow r : rows) {
            Key key = new Key(r.name(), r.agentId() == null ? "" : r.agentId(), bucketStart(r.at(), bucketSeconds));
            sums.merge(key, r.value(), Long::sum);
        }
        List<CounterRow> out = new ArrayList<>(sums.size());
        sums.forEach((k, v) -> out.add(new CounterRow(k.name(), k.agentId(), k.bucket(), v)));
        return out;
    }

    /**
     * The start of the bucket PostgreSQL puts {@code at} in (before the clamp to now()), or null for null. The time
     * is first reduced to what reaches the server: whole microseconds since 2000-01-01, truncated toward that epoch
     * as the driver encodes them.
     */
    public static OffsetDateTime bucketStart(OffsetDateTime at, int bucketSeconds) {
        if (at == null) {
            return null;
        }
        long micros = ChronoUnit.MICROS.between(PG_EPOCH, at);
        long seconds = PG_EPOCH.toEpochSecond() + Math.floorDiv(micros, 1_000_000L);
        return Instant.ofEpochSecond(Math.floorDiv(seconds, bucketSeconds) * bucketSeconds).atOffset(ZoneOffset.UTC);
    }
}

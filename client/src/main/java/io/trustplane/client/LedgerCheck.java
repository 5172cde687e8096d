package io.trustplane.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.trustplane.client.Model.LocalLedgerCheck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recomputes a task's ledger hash chain from its export, without trusting the service's own verdict: each entry's
 * body is the JSON of {@code {seq, taskId, kind, actor, time, data}} with keys sorted at every level and no
 * whitespace, its hash is {@code hex(SHA-256(body || prevHash))}, the first entry (seq 0) links to 64 zeros and every
 * later one to the hash of the entry before it.
 */
public final class LedgerCheck {

    static final String GENESIS_PREV = "0".repeat(64);

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    private LedgerCheck() {
    }

    /** Checks an export {@code {taskId, entries: [...]}} (as {@link Tasks#ledger(String)} returns it). */
    public static LocalLedgerCheck verify(JsonNode export) {
        JsonNode entries = export.path("entries");
        if (!entries.isArray() || entries.isEmpty()) {
            return new LocalLedgerCheck(false, 0L, "the export holds no entries (a task's ledger starts at seq 0)", 0);
        }
        String prev = GENESIS_PREV;
        long expected = 0;
        for (JsonNode e : entries) {
            long seq = e.path("seq").asLong(-1);
            if (seq != expected) {
                return broken(expected, "entry " + expected + " is missing (found seq " + seq + ")", entries);
            }
            if (!prev.equals(e.path("prevHash").asText())) {
                return broken(seq, "entry " + seq + " does not link to the hash of the entry before it", entries);
            }
            String hash = sha256(body(e, export.path("taskId").asText()) + prev);
            if (!hash.equals(e.path("hash").asText())) {
                return broken(seq, "entry " + seq + "'s content does not match its hash", entries);
            }
            prev = hash;
            expected++;
        }
        return new LocalLedgerCheck(true, null, null, entries.size());
    }

    private static String body(JsonNode e, String taskId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", e.path("seq").asLong());
        body.put("taskId", e.hasNonNull("taskId") ? e.get("taskId").asText() : taskId);
        body.put("kind", text(e, "kind"));
        body.put("actor", text(e, "actor"));
        body.put("time", text(e, "time"));
        body.put("data", CANONICAL.convertValue(e.path("data"), Map.class));
        try {
            return CANONICAL.writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a map of JSON values always serializes", ex);
        }
    }

    private static String text(JsonNode e, String field) {
        return e.hasNonNull(field) ? e.get(field).asText() : null;
    }

    private static LocalLedgerCheck broken(long seq, String reason, JsonNode entries) {
        return new LocalLedgerCheck(false, seq, reason, entries.size());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

package io.trustplane.lease.domain;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plain-Java canonical JSON writes what Jackson wrote before it (sorted map entries, Jackson's escapes), so ledger
 * entries and spec hashes stored before keep their hashes: Jackson, configured as the old writer was, is the
 * reference here.
 */
class CanonicalTest {

    private static final ObjectMapper JACKSON = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    @Test
    void everyCharacterIsWrittenAsJacksonWritesIt() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x250; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\uFEFF\uD83D\uDE00 \"quoted\" \\ back/slash");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(all.toString(), all.toString());
        m.put("z", List.of(all.toString(), "\u0000\u001f\u007f"));
        assertThat(Canonical.json(m)).isEqualTo(JACKSON.writeValueAsString(m));
    }

    @Test
    void nestedBodiesOfEveryKindTheLedgerWritesMatchJackson() throws Exception {
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("specHash", "ab".repeat(32));
        attestation.put("baseline", false);
        attestation.put("drift", true);
        attestation.put("severity", "high");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("to", "SPEC");
        data.put("from", "STRATEGIZE");
        data.put("fencingToken", 7L);
        data.put("evidence", List.of(Map.of("kind", "spec", "uri", "s3://x/é", "sha256", "a".repeat(64)),
                Map.of("kind", "b", "uri", "u", "sha256", "c")));
        data.put("attestation", attestation);
        data.put("reason", null);
        data.put("count", 3);
        data.put("empty", Map.of());
        data.put("none", List.of());
        data.put("phase", Phase.VERIFY);
        List<Object> mixed = new ArrayList<>(Arrays.asList(1, -2L, Long.MAX_VALUE, Integer.MIN_VALUE, true, null, "s"));
        data.put("mixed", mixed);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", 12L);
        body.put("taskId", "T-1");
        body.put("kind", "TRANSITION");
        body.put("actor", "agent-1");
        body.put("time", "2026-01-01T00:00:01.000001Z");
        body.put("data", data);
        assertThat(Canonical.json(body)).isEqualTo(JACKSON.writeValueAsString(body));
    }

    @Test
    void valuesWithoutACanonicalFormAreRefused() {
        assertThatThrownBy(() -> Canonical.json(Map.of("x", 1.5))).isInstanceOf(IllegalArgumentException.class);
    }
}

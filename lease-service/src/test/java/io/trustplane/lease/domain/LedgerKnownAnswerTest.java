package io.trustplane.lease.domain;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers for the ledger's bodies and chain hashes, computed outside the code under test with coreutils:
 * <pre>
 * B0='{"actor":"agent-1","data":{"taskId":"T-1"},"kind":"GENESIS","seq":0,"taskId":"T-1","time":"2026-01-01T00:00:00Z"}'
 * P0=0000000000000000000000000000000000000000000000000000000000000000
 * printf '%s%s' "$B0" "$P0" | sha256sum   # 2b8ff4ec...5a92
 * B1='{"actor":"agent-1","data":{"fencingToken":7,"from":"STRATEGIZE","to":"SPEC"},"kind":"TRANSITION","seq":1,"taskId":"T-1","time":"2026-01-01T00:00:01Z"}'
 * printf '%s%s' "$B1" "2b8ff4ec459c9ce030c25cc258b81064dcbdf059a11d1b6e67fd067ba8f15a92" | sha256sum   # 768f1a0c...9dfc
 * </pre>
 * The bodies are the canonical form LedgerRepository stores: keys sorted at every level, no whitespace.
 */
class LedgerKnownAnswerTest {

    static final String B0 = "{\"actor\":\"agent-1\",\"data\":{\"taskId\":\"T-1\"},\"kind\":\"GENESIS\",\"seq\":0,"
            + "\"taskId\":\"T-1\",\"time\":\"2026-01-01T00:00:00Z\"}";
    static final String H0 = "2b8ff4ec459c9ce030c25cc258b81064dcbdf059a11d1b6e67fd067ba8f15a92";
    static final String B1 = "{\"actor\":\"agent-1\",\"data\":{\"fencingToken\":7,\"from\":\"STRATEGIZE\",\"to\":\"SPEC\"},"
            + "\"kind\":\"TRANSITION\",\"seq\":1,\"taskId\":\"T-1\",\"time\":\"2026-01-01T00:00:01Z\"}";
    static final String H1 = "768f1a0ccf826d7367383fb6a126af0a03b41d6e5af7b8fc5208bc397b7c9dfc";

    @Test
    void bodiesAreCanonicalWhateverOrderTheMapsWereBuiltIn() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("to", "SPEC");
        data.put("from", "STRATEGIZE");
        data.put("fencingToken", 7);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("time", "2026-01-01T00:00:01Z");
        body.put("taskId", "T-1");
        body.put("seq", 1);
        body.put("kind", "TRANSITION");
        body.put("data", data);
        body.put("actor", "agent-1");
        assertThat(Canonical.json(body)).isEqualTo(B1);
    }

    @Test
    void chainHashesMatchTheValuesComputedWithSha256sum() {
        assertThat(LedgerChain.hash(B0, LedgerChain.GENESIS_PREV)).isEqualTo(H0);
        assertThat(LedgerChain.hash(B1, H0)).isEqualTo(H1);
        assertThat(LedgerChain.verify(List.of(new LedgerChain.Stored(0, B0, LedgerChain.GENESIS_PREV, H0),
                new LedgerChain.Stored(1, B1, H0, H1))).valid()).isTrue();
    }
}

package io.trustplane.common.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tp:anchor tag against a value computed with openssl:
 * <pre>
 * printf '%s' '{"data":{"n":1},"id":"e-1","source":"lease-service","type":"t"}' \
 *   | openssl dgst -sha256 -mac HMAC -macopt hexkey:0101...01 (32 bytes) -binary | base64 | tr '+/' '-_' | tr -d '='
 * </pre>
 */
class AnchorAuthTest {

    private static final byte[] KEY = new byte[32];
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    static {
        Arrays.fill(KEY, (byte) 1);
    }

    private static String json(EventEnvelope e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void theTagIsHmacSha256OfTheCanonicalEnvelopeWithoutAuth() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("n", 1);
        EventEnvelope e = new EventEnvelope("e-1", "t", "lease-service", null, null, data);
        byte[] signed = AnchorAuth.signedBytes(e.withAuth("ignored"), AnchorAuthTest::json);
        assertThat(new String(signed, StandardCharsets.UTF_8))
                .isEqualTo("{\"data\":{\"n\":1},\"id\":\"e-1\",\"source\":\"lease-service\",\"type\":\"t\"}");
        assertThat(AnchorAuth.tag(KEY, signed)).isEqualTo("npVpf9g9APoX8H2vSuM14zq_2eOW6B7mc5SiXIGCivc");
    }

    @Test
    void anyChangeOrAnotherKeyFailsVerification() {
        EventEnvelope e = new EventEnvelope("e-1", "t", "lease-service", null, null, Map.of("n", 1));
        String auth = AnchorAuth.tag(KEY, AnchorAuth.signedBytes(e, AnchorAuthTest::json));
        assertThat(AnchorAuth.verify(KEY, AnchorAuth.signedBytes(e, AnchorAuthTest::json), auth)).isTrue();
        EventEnvelope other = new EventEnvelope("e-1", "t", "gate-service", null, null, Map.of("n", 1));
        assertThat(AnchorAuth.verify(KEY, AnchorAuth.signedBytes(other, AnchorAuthTest::json), auth)).isFalse();
        assertThat(AnchorAuth.verify(new byte[32], AnchorAuth.signedBytes(e, AnchorAuthTest::json), auth)).isFalse();
        assertThat(AnchorAuth.verify(KEY, AnchorAuth.signedBytes(e, AnchorAuthTest::json), null)).isFalse();
    }
}

package io.trustplane.provenance.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The log's canonical JSON (leaves, anchor content hashes) against published vectors: the sample of the JCS
 * authors' reference repository (cyberphone/json-canonicalization, README, with its UTF-8 bytes in hex) and
 * RFC 8785 section 3.2.3's property-sorting example (UTF-16 code-unit order, so the emoji sorts before U+FB33).
 */
class CanonicalJsonKnownAnswerTest {

    @Test
    void referenceSampleCanonicalizesToThePublishedBytes() {
        String input = "{\n  \"numbers\": [1E30,4.50,6,2e-3,0.000000000000000000000000001],\n"
                + "  \"escaping\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"other\":  [null, true, false]\n}";
        String hex = "7b 22 65 73 63 61 70 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c"
                + " 5c 5c 5c 22 2f 22 2c 22 6e 75 6d 62 65 72 73 22 3a 5b 31 65 2b 33 30 2c 34 2e 35 2c 36 2c 30 2e"
                + " 30 30 32 2c 31 65 2d 32 37 5d 2c 22 6f 74 68 65 72 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61"
                + " 6c 73 65 5d 7d";
        byte[] expected = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(LeafEncoder.canonical(input)).isEqualTo(expected);
        assertThat(new String(expected, StandardCharsets.UTF_8))
                .isEqualTo("{\"escaping\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"numbers\":[1e+30,4.5,6,0.002,1e-27],"
                        + "\"other\":[null,true,false]}");
    }

    @Test
    void rfc8785PropertySortingExample() {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertThat(new String(LeafEncoder.canonical(input), StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}

package io.trustplane.provenance.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NoteSerializerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String note(long size) {
        return "trustplane.dev/log\n" + size + "\nq7uKk2a1Zq3+Vj8m0c6o5m1Q2yC8w4x3sVbq6vYqg3E=\n\n"
                + "\u2014 trustplane.dev/log AbCdEf\"quoted\\slash\u00e9==\n";
    }

    @Test
    void aNoteIsWrittenAsTheSameJsonStringJacksonWouldWrite() throws Exception {
        String note = note(42);
        ProvenanceResource.InclusionView view = new ProvenanceResource.InclusionView(UUID.randomUUID(), 1, 42,
                "leaf", "root", List.of("h"), note);
        // through the UTF-8 generator the services use (an OutputStream) and through a Writer
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MAPPER.writeValue(out, view);
        String viaStream = out.toString(StandardCharsets.UTF_8);
        String viaWriter = MAPPER.writeValueAsString(view);
        assertThat(viaStream).isEqualTo(viaWriter)
                .contains("\"checkpoint\":" + MAPPER.writeValueAsString(note));
        JsonNode back = MAPPER.readTree(viaStream);
        assertThat(back.get("checkpoint").asText()).isEqualTo(note);
        // the second time comes from the cache, byte for byte the same
        out.reset();
        MAPPER.writeValue(out, view);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(viaStream);
    }

    @Test
    void theCacheEmptiesItselfInsteadOfGrowingWithTheLog() {
        for (long size = 0; size < NoteSerializer.MAX_NOTES * 2L + 10; size++) {
            String note = note(size);
            assertThat(NoteSerializer.encoded(note).getValue()).isEqualTo(note);
        }
        assertThat(NoteSerializer.size()).isLessThanOrEqualTo(NoteSerializer.MAX_NOTES);
    }
}

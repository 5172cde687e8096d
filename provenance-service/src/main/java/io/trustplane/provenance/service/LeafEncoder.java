package io.trustplane.provenance.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trustplane.provenance.domain.CreationType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * Turns a record into its leaf: the RFC 8785 (JCS) canonical JSON of
 * {@code {id, agentId, creationType, parentId?, contentHash?, metadata, submittedAt, createdAt}}.
 */
public final class LeafEncoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LeafEncoder() {
    }

    public static byte[] encode(UUID id, String agentId, CreationType type, UUID parentId, String contentHash,
            String metadataJson, Instant submittedAt, Instant createdAt) {
        try {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("id", id.toString());
            node.put("agentId", agentId);
            node.put("creationType", type.name());
            if (parentId != null) {
                node.put("parentId", parentId.toString());
            }
            if (contentHash != null) {
                node.put("contentHash", contentHash);
            }
            node.set("metadata", MAPPER.readTree(metadataJson));
            node.put("submittedAt", DateTimeFormatter.ISO_INSTANT.format(submittedAt));
            node.put("createdAt", DateTimeFormatter.ISO_INSTANT.format(createdAt));
            return canonical(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 8785 bytes of any JSON text. */
    public static byte[] canonical(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Canonical bytes of a JSON value given as a Java object (maps, lists, scalars). */
    public static byte[] canonical(Object value) {
        try {
            return canonical(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

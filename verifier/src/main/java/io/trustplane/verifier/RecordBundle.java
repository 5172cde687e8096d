package io.trustplane.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Everything needed to check one record offline: its exact RFC 8785 leaf bytes, its leaf index, the inclusion proof
 * into the tree of the checkpoint, and the signed checkpoint (with any cosignatures). Optionally a consistency
 * proof from an earlier tree size to the checkpoint's, for a verifier whose trusted state is that earlier size.
 * As JSON: {@code {"leaf": b64, "leafIndex": n, "hashes": [b64...], "checkpoint": note,
 * "consistency": {"from": m, "hashes": [b64...]}}}.
 */
public record RecordBundle(String id, byte[] leaf, long leafIndex, List<byte[]> hashes, String checkpoint,
        Long consistencyFrom, List<byte[]> consistency) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static RecordBundle parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            Long from = null;
            List<byte[]> consistency = List.of();
            if (n.hasNonNull("consistency")) {
                from = required(n.get("consistency"), "consistency.from").asLong();
                consistency = hashes(n.get("consistency"), "consistency.hashes");
            }
            return new RecordBundle(n.hasNonNull("id") ? n.get("id").asText() : null,
                    Base64.getDecoder().decode(required(n, "leaf").asText()), required(n, "leafIndex").asLong(),
                    hashes(n, "hashes"), required(n, "checkpoint").asText(), from, consistency);
        } catch (VerificationException e) {
            throw e;
        } catch (Exception e) {
            throw new VerificationException(Verdict.MALFORMED, "the record bundle is not valid: " + e.getMessage());
        }
    }

    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        if (id != null) {
            n.put("id", id);
        }
        n.put("leaf", Base64.getEncoder().encodeToString(leaf));
        n.put("leafIndex", leafIndex);
        ArrayNode h = n.putArray("hashes");
        hashes.forEach(x -> h.add(Base64.getEncoder().encodeToString(x)));
        n.put("checkpoint", checkpoint);
        if (consistencyFrom != null) {
            ObjectNode c = n.putObject("consistency");
            c.put("from", consistencyFrom);
            ArrayNode ch = c.putArray("hashes");
            consistency.forEach(x -> ch.add(Base64.getEncoder().encodeToString(x)));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public RecordBundle withLeaf(byte[] other) {
        return new RecordBundle(id, other, leafIndex, hashes, checkpoint, consistencyFrom, consistency);
    }

    public RecordBundle withCheckpoint(String other) {
        return new RecordBundle(id, leaf, leafIndex, hashes, other, consistencyFrom, consistency);
    }

    static List<byte[]> hashes(JsonNode n, String field) {
        JsonNode array = required(n, field.substring(field.lastIndexOf('.') + 1));
        if (!array.isArray()) {
            throw new VerificationException(Verdict.MALFORMED, field + " must be an array of base64 hashes");
        }
        List<byte[]> out = new ArrayList<>();
        for (JsonNode x : array) {
            byte[] h = Base64.getDecoder().decode(x.asText());
            if (h.length != 32) {
                throw new VerificationException(Verdict.MALFORMED, field + " holds a hash that is not 32 bytes");
            }
            out.add(h);
        }
        return out;
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field.substring(field.lastIndexOf('.') + 1));
        if (v == null || v.isNull()) {
            throw new VerificationException(Verdict.MALFORMED, "the record bundle has no " + field);
        }
        return v;
    }
}

package io.trustplane.provenance.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.trustplane.provenance.service.CreationType;
import io.trustplane.provenance.service.LeafEncoder;
import io.trustplane.provenance.service.LogRecord;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A record as served: its fields, its leaf (base64 of the exact RFC 8785 bytes), leaf and parent hashes
 * (base64), and the signed checkpoint of size {@code treeSize} that first included it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordView(UUID id, String agentId, CreationType creationType, UUID parentId, String contentHash,
        JsonNode metadata, Instant submittedAt, Instant createdAt, long leafIndex, String leaf, String leafHash,
        String parentHash, long treeSize, @JsonSerialize(using = NoteSerializer.class) String checkpoint) {

    static RecordView of(LogRecord r) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new RecordView(r.id(), r.agentId(), r.creationType(), r.parentId(), r.contentHash(),
                LeafEncoder.tree(r.metadataJson()), r.submittedAt(), r.createdAt(), r.leafIndex(),
                b64.encodeToString(r.leaf()), b64.encodeToString(r.leafHash()),
                r.parentHash() == null ? null : b64.encodeToString(r.parentHash()), r.checkpointSize(),
                r.checkpoint());
    }
}

package io.trustplane.provenance.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.service.LeafEncoder;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A record as served: its fields, its leaf (base64 of the exact RFC 8785 bytes), leaf and parent hashes
 * (base64), and the signed checkpoint of size {@code treeSize} that first included it (in a page, only its size: the
 * page carries one checkpoint that includes all its records). In a lineage, a record the
 * caller may not read is a placeholder holding only {@code id} and {@code redacted: true}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordView(UUID id, String agentId, CreationType creationType, UUID parentId, String contentHash,
        JsonNode metadata, Instant submittedAt, Instant createdAt, Long leafIndex, String leaf, String leafHash,
        String parentHash, Long treeSize, @JsonSerialize(using = NoteSerializer.class) String checkpoint,
        Boolean redacted) {

    static RecordView of(LogRecord r) {
        return of(r, r.checkpoint());
    }

    /** A record in a page: the page carries one checkpoint for all its records; this one names its own by size. */
    static RecordView listed(LogRecord r) {
        return of(r, null);
    }

    private static RecordView of(LogRecord r, String checkpoint) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new RecordView(r.id(), r.agentId(), r.creationType(), r.parentId(), r.contentHash(),
                LeafEncoder.tree(r.metadataJson()), r.submittedAt(), r.createdAt(), r.leafIndex(),
                b64.encodeToString(r.leaf()), b64.encodeToString(r.leafHash()),
                r.parentHash() == null ? null : b64.encodeToString(r.parentHash()), r.checkpointSize(),
                checkpoint, null);
    }

    /**
     * What a lineage shows in place of a record the caller may not read: its id (the caller's own record already
     * names it as {@code parentId}, inside its signed leaf) and {@code redacted: true}, nothing else.
     */
    static RecordView redacted(UUID id) {
        return new RecordView(id, null, null, null, null, null, null, null, null, null, null, null, null, null, true);
    }
}

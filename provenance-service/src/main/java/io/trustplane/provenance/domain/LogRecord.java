package io.trustplane.provenance.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An integrated provenance record: its fields, its place in the tree and the signed checkpoint that first
 * covered it. Hashes are raw bytes; {@code leaf} is the exact RFC 8785 text that was hashed.
 */
public record LogRecord(UUID id, long leafIndex, String agentId, CreationType creationType, UUID parentId,
        String contentHash, String metadataJson, Instant submittedAt, Instant createdAt, byte[] leaf,
        byte[] leafHash, byte[] parentHash, long checkpointSize, String checkpoint) {
}

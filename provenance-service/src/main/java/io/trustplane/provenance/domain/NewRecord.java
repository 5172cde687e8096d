package io.trustplane.provenance.domain;

import java.util.UUID;

/** A record accepted for the log but not yet integrated; {@code metadataJson} is already size-checked JSON. */
public record NewRecord(UUID id, String agentId, CreationType creationType, UUID parentId, String contentHash,
        String metadataJson) {
}

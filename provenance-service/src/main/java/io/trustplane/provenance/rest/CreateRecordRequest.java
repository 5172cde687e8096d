package io.trustplane.provenance.rest;

import io.trustplane.common.validation.Ids;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.UUID;

/**
 * Body of {@code POST /v1/provenance}. {@code creationType} is read as text and parsed by the resource: Quarkus
 * REST's built-in mapper for unknown enum constants would otherwise answer plain JSON instead of problem+json.
 */
public record CreateRecordRequest(
        @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId,
        @NotBlank String creationType,
        UUID parentId,
        @Size(max = 256) @Pattern(regexp = "[A-Za-z0-9:+/=._-]+") String contentHash,
        Map<String, Object> metadata) {
}

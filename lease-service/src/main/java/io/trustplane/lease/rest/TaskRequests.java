package io.trustplane.lease.rest;

import io.trustplane.common.validation.Ids;
import io.trustplane.lease.domain.Phase;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Request bodies of the task, transition and attestation routes. */
public final class TaskRequests {

    private TaskRequests() {
    }

    /** {@code POST /v1/tasks}; {@code startPhase} other than STRATEGIZE is refused as a skip. */
    public record CreateTask(
            @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @NotBlank @Size(max = 200) String title,
            @Size(max = 4000) String description,
            Phase startPhase) {
    }

    /** What the prompt of a phase said; taskId and phase come from the transition or the attestation. */
    public record PromptBody(
            @Size(max = 100) List<@NotBlank @Size(max = 1000) String> requirements,
            @Size(max = 100) List<@NotBlank @Size(max = 1000) String> qualityGates,
            @Size(max = 100) List<@NotBlank @Size(max = 1000) String> artifacts,
            @Size(max = 8000) String contextSummary,
            @Size(max = 128) String personaHash,
            @NotBlank @Size(max = 128) String agentType,
            @NotBlank @Size(max = 128) String modelVersion) {
    }

    /** One piece of evidence for leaving a phase: what it is, where it lives, and the SHA-256 of its content. */
    public record Evidence(
            @NotBlank @Pattern(regexp = "[a-z0-9._-]{1,64}", message = "must match [a-z0-9._-]{1,64}") String kind,
            @NotBlank @Size(max = 2048) String uri,
            @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256) {

        io.trustplane.lease.domain.Evidence toDomain() {
            return new io.trustplane.lease.domain.Evidence(kind, uri, sha256);
        }
    }

    /** {@code POST /v1/tasks/{taskId}/transitions}. */
    public record Transition(
            @NotNull Phase to,
            @Size(max = 50) List<@Valid @NotNull Evidence> evidence,
            @Valid PromptBody attestation,
            @NotNull @Min(value = 1, message = "must be at least 1") Long fencingToken) {
    }

    /** {@code POST /v1/attestations}. */
    public record Attest(
            @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @NotNull Phase phase,
            @Size(max = 100) List<@NotBlank @Size(max = 1000) String> requirements,
            @Size(max = 100) List<@NotBlank @Size(max = 1000) String> qualityGates,
            @Size(max = 100) List<@NotBlank @Size(max = 1000) String> artifacts,
            @Size(max = 8000) String contextSummary,
            @Size(max = 128) String personaHash,
            @NotBlank @Size(max = 128) String agentType,
            @NotBlank @Size(max = 128) String modelVersion) {
    }

    /** {@code POST /v1/attestations/baselines/reset}. */
    public record ResetBaseline(
            @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @NotNull Phase phase,
            @NotBlank @Size(max = 1000) String reason) {
    }
}

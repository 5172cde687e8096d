package io.trustplane.lease.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One piece of evidence for leaving a phase: what it is, where it lives, and the SHA-256 of its content. */
public record Evidence(
        @NotBlank @Pattern(regexp = "[a-z0-9._-]{1,64}", message = "must match [a-z0-9._-]{1,64}") String kind,
        @NotBlank @Size(max = 2048) String uri,
        @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256) {
}

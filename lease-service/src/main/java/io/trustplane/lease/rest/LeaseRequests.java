package io.trustplane.lease.rest;

import io.trustplane.common.validation.Ids;
import io.trustplane.lease.domain.Phase;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the lease routes. */
public final class LeaseRequests {

    private LeaseRequests() {
    }

    /** {@code POST /v1/leases}. */
    public record Acquire(
            @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @NotNull Phase phase,
            @Min(value = 1, message = "must be at least 1") Integer ttlSeconds) {
    }

    /** {@code POST /v1/leases/{id}/renew}; the body is optional. */
    public record Renew(@Min(value = 1, message = "must be at least 1") Integer ttlSeconds) {
    }

    /** {@code POST /v1/leases/{id}/force-release}. */
    public record ForceRelease(@NotBlank @Size(max = 1000) String reason) {
    }

    /** {@code POST /v1/leases/force-release-holder}: every active lease of one holder. */
    public record ForceReleaseHolder(
            @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String holder,
            @NotBlank @Size(max = 1000) String reason,
            Boolean contain) {
    }

    /** {@code POST /v1/leases/lift-holder}: a contained holder may take leases again. */
    public record LiftHolder(@NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String holder) {
    }

    /** {@code POST /v1/fencing/check}. */
    public record FencingCheck(
            @NotBlank @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String taskId,
            @NotNull Phase phase,
            @NotNull @Min(value = 0, message = "must not be negative") Long fencingToken) {
    }
}

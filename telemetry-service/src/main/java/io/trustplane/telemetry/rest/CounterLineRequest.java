package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One counter line (seed 001: {@code {"name","value","timestamp","tags"}}), plus an optional {@code id} that makes a
 * retried line count once.
 */
public record CounterLineRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String id,
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9_.]{0,63}") String name,
        @NotNull @Min(0) @Max(1_000_000) Long value,
        OffsetDateTime timestamp,
        @Size(max = 16) Map<@Pattern(regexp = "[A-Za-z0-9_]{1,32}") String, @Size(max = 128) String> tags) {
}

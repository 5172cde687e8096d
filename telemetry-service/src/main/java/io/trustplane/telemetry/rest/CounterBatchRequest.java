package io.trustplane.telemetry.rest;

import io.trustplane.common.validation.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** A JSON batch of counter lines for one agent (the caller itself unless the caller is privileged). */
public record CounterBatchRequest(
        @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String agentId,
        @NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid CounterLineRequest> counters) {
}

package io.trustplane.gate.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to one role-gate evaluation; {@code escalationId} is set for ESCALATE. {@code policyRevision} (the
 * policy snapshot that decided) goes into tool-call receipts, not into the evaluate answer.
 */
@Schema(name = "EvaluateResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(Decision decision, Layer layer, String reason, String ruleId, String evaluationId,
        Tier registeredTier, String escalationId, @JsonIgnore @Schema(hidden = true) long policyRevision) {
}

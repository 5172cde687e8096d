package io.trustplane.gate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.idempotency.Idempotent;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.service.EscalationService;
import io.trustplane.gate.service.ReceiptSigner;
import io.trustplane.gate.domain.ToolCall;
import io.trustplane.gate.service.ToolCallService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The tool-call guard: an agent asks before it calls a tool ({@code decisions}) and reports after ({@code results});
 * each answer is a receipt signed with gate-service's key ({@code key}), verifiable offline.
 */
@Tag(name = "tool calls",
        description = "The tool-call guard: a signed decision per tool call, approvals bound to the exact call, "
                + "result receipts.")
@Path("/v1/tool-calls")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ToolCallResource {

    static final String DIGEST = "sha256:[0-9a-f]{64}";
    static final String DIGEST_MESSAGE = "must be sha256: followed by 64 lowercase hex digits";
    static final String TOOL = "[A-Za-z0-9_.:/-]{1,128}";
    static final String TOOL_MESSAGE = "must match " + TOOL;
    static final String CALL_ID = "[A-Za-z0-9_.:-]{1,128}";
    static final String CALL_ID_MESSAGE = "must match " + CALL_ID;
    static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    static final String UUID_MESSAGE = "must be a UUID";

    private final ToolCallService toolCalls;
    private final EscalationService escalations;
    private final Caller caller;

    public ToolCallResource(ToolCallService toolCalls, EscalationService escalations, Caller caller) {
        this.toolCalls = toolCalls;
        this.escalations = escalations;
        this.caller = caller;
    }

    /**
     * A call an agent is about to make: the tool, what it acts on, and its arguments (the digest is computed from
     * them) or only their digest plus a summary for approvers; {@code approvalId} presents an approval.
     */
    public record DecisionRequest(
            @NotBlank @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @NotBlank @Pattern(regexp = TOOL, message = TOOL_MESSAGE) String tool,
            @Size(max = 512) String resource,
            JsonNode arguments,
            @Pattern(regexp = DIGEST, message = DIGEST_MESSAGE) String argumentsDigest,
            @Size(max = 500) String summary,
            @Pattern(regexp = Ids.NAME, message = Ids.NAME_MESSAGE) String role,
            @Pattern(regexp = Ids.NAME, message = Ids.NAME_MESSAGE) String resourceType,
            @Min(1) @Max(1_000_000_000L) Long amount,
            @Pattern(regexp = CALL_ID, message = CALL_ID_MESSAGE) String callId,
            @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String approvalId) {
    }

    /** The decision and its signed receipt; {@code escalationId} is set for ESCALATE. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DecisionResponse(String decisionId, Decision decision, String layer, String ruleId, String reason,
            String argumentsDigest, String escalationId, Instant expiresAt, Map<String, Object> receipt) {

        static DecisionResponse of(ToolCallService.Issued issued) {
            ToolCall c = issued.call();
            return new DecisionResponse(c.id().toString(), c.decision(), c.layer(), c.ruleId(), c.reason(),
                    c.argumentsDigest(), c.escalationId() == null ? null : c.escalationId().toString(), c.expiresAt(),
                    issued.receipt());
        }
    }

    /** What a call did: its result (or the result's digest) and status, against the decision that allowed it. */
    public record ResultRequest(
            @NotBlank @Pattern(regexp = Ids.ID, message = Ids.ID_MESSAGE) String agentId,
            @Pattern(regexp = UUID_PATTERN, message = UUID_MESSAGE) String decisionId,
            @Pattern(regexp = CALL_ID, message = CALL_ID_MESSAGE) String callId,
            JsonNode arguments,
            @Pattern(regexp = DIGEST, message = DIGEST_MESSAGE) String argumentsDigest,
            JsonNode result,
            @Pattern(regexp = DIGEST, message = DIGEST_MESSAGE) String resultDigest,
            @NotNull @Pattern(regexp = "SUCCEEDED|FAILED", message = "must be SUCCEEDED or FAILED") String status) {
    }

    /** The result receipt, linked to the decision's by {@code decisionReceiptHash}. */
    public record ResultResponse(String decisionId, String status, String resultDigest,
            Map<String, Object> receipt) {
    }

    /** gate-service's receipt verification key. */
    public record KeyView(String keyId, String algorithm, String publicKey, String publicKeyPem, String signedBytes) {
    }

    @Operation(summary = "Decide on a tool call",
            description = "Decides whether the agent may make this tool call (tool, resource, arguments or their "
                    + "digest) and signs the decision; with `approvalId`, uses an operator-approved escalation for "
                    + "exactly this call. ESCALATE answers carry the escalation to wait on. Agents may ask only for "
                    + "themselves. See docs/tool-call-guard.md.")
    @APIResponse(responseCode = "200", description = "The signed decision")
    @APIResponse(responseCode = "409",
            description = "`duplicate_call_id`: this callId was decided before for another call, or its decision is "
                    + "no longer given again (receipt expired, agent suspended or contained; the same call under the "
                    + "same callId otherwise gets its decision back); `decision_withdrawn`: the decision stored "
                    + "under this `Idempotency-Key` is no longer given again (receipt expired, agent suspended or "
                    + "contained); "
                    + "`approval_pending`, `approval_rejected`, `approval_mismatch`, `approval_used`, "
                    + "`approval_expired`: the approval cannot be used for this call; `idempotency_key_reused`: this "
                    + "`Idempotency-Key` was used for a different request; `idempotency_in_progress`: the first "
                    + "request with this key is still running")
    @APIResponse(responseCode = "422",
            description = "`arguments_required`: give the arguments or their digest; `argumentsDigest_mismatch`: the "
                    + "digest is not the one of the arguments given")
    @Idempotent(Idempotent.Store.LINKED)
    @POST
    @Path("/decisions")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<DecisionResponse> decide(@Valid @NotNull DecisionRequest request) {
        caller.requireActingFor(request.agentId());
        String digest = ToolCallDigests.arguments(request.arguments(), request.argumentsDigest());
        return toolCalls.decide(new ToolCallService.Request(request.agentId(), request.tool(), request.resource(),
                        digest, request.summary(), request.role(), request.resourceType(), request.amount(),
                        request.callId(), request.approvalId() == null ? null : UUID.fromString(request.approvalId())))
                .map(DecisionResponse::of);
    }

    @Operation(summary = "Report a tool call's result",
            description = "Records the result (or its digest) of a tool call that was allowed, and returns a signed "
                    + "receipt. A result for a call that was never allowed, or with other arguments, is refused and "
                    + "raises a gaming alert.")
    @APIResponse(responseCode = "200", description = "The receipt")
    @APIResponse(responseCode = "409",
            description = "`result_already_reported`: this call has a result; `no_prior_allow`: no ALLOW decision "
                    + "exists for this call; `arguments_mismatch`: the arguments differ from the decided ones; "
                    + "`idempotency_key_reused`: this `Idempotency-Key` was used for a different request; "
                    + "`idempotency_in_progress`: the first request with this key is still running")
    @APIResponse(responseCode = "422",
            description = "`decision_required`: name the decisionId or the callId; `result_required`: give the result "
                    + "or its digest; `resultDigest_mismatch`, `arguments_required`, `argumentsDigest_mismatch`: a "
                    + "digest does not match what was given")
    @Idempotent(Idempotent.Store.LINKED)
    @POST
    @Path("/results")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<ResultResponse> report(@Valid @NotNull ResultRequest request) {
        caller.requireActingFor(request.agentId());
        if (request.decisionId() == null && request.callId() == null) {
            throw ProblemException.unprocessable("decision_required", "decisionId",
                    "name the decision the call ran under: decisionId, or the callId given with the decision");
        }
        String argumentsDigest = request.arguments() == null && request.argumentsDigest() == null ? null
                : ToolCallDigests.arguments(request.arguments(), request.argumentsDigest());
        String resultDigest = ToolCallDigests.result(request.result(), request.resultDigest());
        return toolCalls.report(new ToolCallService.Result(request.agentId(),
                        request.decisionId() == null ? null : UUID.fromString(request.decisionId()), request.callId(),
                        argumentsDigest, resultDigest, request.status()))
                .map(i -> new ResultResponse(i.call().id().toString(), request.status(), resultDigest, i.receipt()));
    }

    @Operation(summary = "The receipt verification key",
            description = "gate-service's public key for verifying decisions and receipts offline, as base64 and PEM, "
                    + "with how the signed bytes are formed.")
    @APIResponse(responseCode = "200", description = "The public key")
    @GET
    @Path("/key")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public KeyView key() {
        ReceiptSigner signer = toolCalls.signer();
        return new KeyView(signer.keyId(), "Ed25519", signer.publicKeyBase64(), signer.publicKeyPem(),
                "RFC 8785 canonical JSON of the receipt without its signature member");
    }

    /** One decision as stored: the agent sees its own, operators, admins and services all (others: 404). */
    @Operation(summary = "Get a tool-call decision",
            description = "One decision as stored. An agent sees its own; operators, admins and services all; another "
                    + "agent gets 404.")
    @APIResponse(responseCode = "200", description = "The decision")
    @GET
    @Path("/decisions/{id}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<DecisionView> get(@PathParam("id") String id) {
        UUID uuid = uuid(id);
        return toolCalls.find(uuid).map(c -> {
            if (c == null || !caller.mayActFor(c.agentId())) {
                throw ProblemException.notFound("decision", id);
            }
            return DecisionView.of(c);
        });
    }

    /**
     * What an approver is asked to approve: the escalated call (agent, tool, resource, argument digest and summary,
     * why it escalated) by its escalation id. Validators, operators, admins, services and the agent itself may read it.
     */
    @Operation(summary = "What an approval is for",
            description = "The escalated tool call behind an escalation (agent, tool, resource, argument digest and "
                    + "summary, why it escalated), for the validators and operators asked to approve it, and for the "
                    + "agent itself.")
    @APIResponse(responseCode = "200", description = "The escalated call")
    @GET
    @Path("/approvals/{escalationId}")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<DecisionView> approval(@PathParam("escalationId") String escalationId) {
        UUID uuid = uuid(escalationId);
        return toolCalls.approval(uuid).map(a -> {
            if (a == null || !(caller.mayActFor(a.call().agentId()) || escalations.isValidator(caller.id()))) {
                throw ProblemException.notFound("approval", escalationId);
            }
            return DecisionView.of(a.call());
        });
    }

    /** A stored decision: what was asked, what was answered, and what the call reported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DecisionView(String decisionId, String agentId, String callId, String tool, String resource,
            String argumentsDigest, String summary, Decision decision, String layer, String ruleId, String reason,
            String escalationId, String approvedFrom, Instant issuedAt, Instant expiresAt, Instant approvalUsedAt,
            String resultStatus, String resultDigest, Instant reportedAt) {

        static DecisionView of(ToolCall c) {
            return new DecisionView(c.id().toString(), c.agentId(), c.callId(), c.tool(), c.resource(),
                    c.argumentsDigest(), c.summary(), c.decision(), c.layer(), c.ruleId(), c.reason(),
                    c.escalationId() == null ? null : c.escalationId().toString(),
                    c.approvedFrom() == null ? null : c.approvedFrom().toString(), c.issuedAt(), c.expiresAt(),
                    c.approvalUsedAt(), c.resultStatus(), c.resultDigest(), c.reportedAt());
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("id", "must be a UUID");
        }
    }
}

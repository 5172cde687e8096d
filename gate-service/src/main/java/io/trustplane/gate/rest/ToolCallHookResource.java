package io.trustplane.gate.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Caller;
import io.trustplane.common.security.Roles;
import io.trustplane.gate.config.ToolCallConfig;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.service.ReceiptSigner;
import io.trustplane.gate.service.ToolCallService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tool-call guard in an agent runtime's own hook conventions, so the hook process only forwards what the runtime
 * wrote on its stdin and prints the answer: Claude Code's PreToolUse/PostToolUse events, and a documented generic
 * shape. The caller's token names the agent. An ESCALATE is answered as a deny naming the escalation (never the
 * runtime's "ask the user", which would bypass the quorum) unless {@code trustplane.tool-calls.hook-escalate-as=ask}.
 */
@Tag(name = "tool calls",
        description = "The tool-call guard: a signed decision per tool call, approvals bound to the exact call, "
                + "result receipts.")
@Path("/v1/tool-calls/hooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ToolCallHookResource {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Tool-input members naming what a call acts on, in order of preference. */
    private static final String[] RESOURCE_FIELDS = {"file_path", "notebook_path", "path", "url"};

    private final ToolCallService toolCalls;
    private final Caller caller;
    private final ToolCallConfig config;

    public ToolCallHookResource(ToolCallService toolCalls, Caller caller, ToolCallConfig config) {
        this.toolCalls = toolCalls;
        this.caller = caller;
        this.config = config;
    }

    /**
     * Claude Code: {@code {hook_event_name, tool_name, tool_input, tool_use_id, tool_response?}}. PreToolUse answers
     * {@code hookSpecificOutput.permissionDecision} allow/deny with a reason; PostToolUse answers {@code {}} when the
     * call was allowed, {@code {"decision": "block", reason}} when it was not (and a gaming alert is raised).
     */
    @Operation(summary = "Claude Code PreToolUse/PostToolUse hook",
            description = "Takes Claude Code's hook event as is. PreToolUse answers "
                    + "`hookSpecificOutput.permissionDecision` (allow or deny, with the reason); PostToolUse records "
                    + "the result and answers `{}`, or a block decision when the call had not been allowed.")
    @APIResponse(responseCode = "200", description = "The hook answer for Claude Code",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @POST
    @Path("/claude-code")
    @RolesAllowed(Roles.AGENT)
    public Uni<JsonNode> claudeCode(JsonNode event) {
        String name = text(event, "hook_event_name", true);
        String tool = text(event, "tool_name", true);
        JsonNode input = event.get("tool_input");
        if (input == null || !input.isObject()) {
            throw ProblemException.badRequest("tool_input", "must be the tool's input object");
        }
        String callId = text(event, "tool_use_id", false);
        return switch (name) {
            case "PreToolUse" -> decide(tool, input, callId).map(d -> {
                ObjectNode out = JSON.objectNode();
                ObjectNode specific = out.putObject("hookSpecificOutput");
                specific.put("hookEventName", "PreToolUse");
                specific.put("permissionDecision", d.allowed() ? "allow" : d.ask() ? "ask" : "deny");
                specific.put("permissionDecisionReason", d.message());
                return out;
            });
            case "PostToolUse" -> report(tool, input, callId, event.get("tool_response"), "SUCCEEDED")
                    .map(refusal -> refusal == null ? JSON.objectNode()
                            : JSON.objectNode().put("decision", "block").put("reason", refusal));
            default -> throw ProblemException.badRequest("hook_event_name",
                    "must be PreToolUse or PostToolUse, got '" + name + "'");
        };
    }

    /**
     * Generic: {@code {event: pre|post, tool, arguments, callId?, resource?, role?, result?, status?}}; answers
     * {@code {decision: allow|deny|escalate, reason, decisionId?, escalationId?, receipt?}} for pre and
     * {@code {recorded: true|false, reason?}} for post.
     */
    @Operation(summary = "Generic tool-call hook",
            description = "The same guard for any agent runtime: a pre event answers the decision, a post event "
                    + "records the result.")
    @APIResponse(responseCode = "200", description = "The hook answer",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @POST
    @Path("/generic")
    @RolesAllowed(Roles.AGENT)
    public Uni<JsonNode> generic(JsonNode event) {
        String kind = text(event, "event", true);
        String tool = text(event, "tool", true);
        JsonNode arguments = event.has("arguments") ? event.get("arguments") : JSON.objectNode();
        String callId = text(event, "callId", false);
        return switch (kind) {
            case "pre" -> decide(tool, arguments, callId, text(event, "resource", false), text(event, "role", false))
                    .map(d -> {
                        ObjectNode out = JSON.objectNode();
                        out.put("decision", d.issued().call().decision().name().toLowerCase(java.util.Locale.ROOT));
                        out.put("reason", d.message());
                        out.put("decisionId", d.issued().call().id().toString());
                        if (d.issued().call().escalationId() != null) {
                            out.put("escalationId", d.issued().call().escalationId().toString());
                        }
                        out.set("receipt", JSON.pojoNode(d.issued().receipt()));
                        return out;
                    });
            case "post" -> {
                String status = event.has("status") ? text(event, "status", true) : "SUCCEEDED";
                if (!status.equals("SUCCEEDED") && !status.equals("FAILED")) {
                    throw ProblemException.badRequest("status", "must be SUCCEEDED or FAILED");
                }
                yield report(tool, arguments, callId, event.get("result"), status).map(refusal -> refusal == null
                        ? JSON.objectNode().put("recorded", true)
                        : JSON.objectNode().put("recorded", false).put("reason", refusal));
            }
            default -> throw ProblemException.badRequest("event", "must be pre or post, got '" + kind + "'");
        };
    }

    /** A decision as a hook answers it. */
    private record HookDecision(ToolCallService.Issued issued, boolean allowed, boolean ask, String message) {
    }

    private Uni<HookDecision> decide(String tool, JsonNode input, String callId) {
        return decide(tool, input, callId, resourceOf(input), null);
    }

    private Uni<HookDecision> decide(String tool, JsonNode arguments, String callId, String resource, String role) {
        validate("tool", tool, ToolCallResource.TOOL);
        if (callId != null) {
            validate("callId", callId, ToolCallResource.CALL_ID);
        }
        if (role != null) {
            validate("role", role, Ids.NAME);
        }
        String digest = ReceiptSigner.digest(arguments.toString());
        String summary = summary(tool, arguments);
        return toolCalls.decide(new ToolCallService.Request(caller.id(), tool, resource, digest, summary, role, null,
                null, callId, null)).map(issued -> {
                    Decision d = issued.call().decision();
                    String why = issued.call().reason();
                    return switch (d) {
                        case ALLOW -> new HookDecision(issued, true, false, "Trustplane allowed " + tool + " (decision "
                                + issued.call().id() + ")");
                        case DENY -> new HookDecision(issued, false, false, "Trustplane denied " + tool + ": " + why);
                        case ESCALATE -> new HookDecision(issued, false, "ask".equals(config.hookEscalateAs()),
                                "Trustplane escalated " + tool + " for approval (escalation "
                                        + issued.call().escalationId() + "): " + why + ". Once it is approved, make the"
                                        + " same call again with the same arguments: the approval is used for it once.");
                    };
                });
    }

    /** Records a result; answers null when recorded, or why it was refused. */
    private Uni<String> report(String tool, JsonNode arguments, String callId, JsonNode result, String status) {
        if (callId == null) {
            throw ProblemException.badRequest("callId", "a result names the call it reports on");
        }
        validate("callId", callId, ToolCallResource.CALL_ID);
        String argumentsDigest = ReceiptSigner.digest(arguments.toString());
        String resultDigest = ReceiptSigner.digest(result == null ? "null" : result.toString());
        return toolCalls.report(new ToolCallService.Result(caller.id(), null, callId, argumentsDigest, resultDigest,
                        status))
                .map(issued -> (String) null)
                .onFailure(ProblemException.class).recoverWithItem(f -> "Trustplane: " + tool + " ran without a "
                        + "matching ALLOW (" + ((ProblemException) f).code() + "): " + f.getMessage());
    }

    private String summary(String tool, JsonNode arguments) {
        String text = tool + " " + arguments;
        return text.length() <= config.maxSummary() ? text : text.substring(0, config.maxSummary() - 1) + "…";
    }

    private static String resourceOf(JsonNode input) {
        for (String field : RESOURCE_FIELDS) {
            JsonNode v = input.get(field);
            if (v != null && v.isTextual() && v.asText().length() <= 512) {
                return v.asText();
            }
        }
        return null;
    }

    private static String text(JsonNode event, String field, boolean required) {
        if (event == null || !event.isObject()) {
            throw ProblemException.badRequest("body", "must be a JSON object");
        }
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ProblemException.badRequest(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ProblemException.badRequest(field, "must be a string");
        }
        return v.asText();
    }

    private static void validate(String field, String value, String pattern) {
        if (!value.matches(pattern)) {
            throw ProblemException.badRequest(field, "must match " + pattern);
        }
    }
}

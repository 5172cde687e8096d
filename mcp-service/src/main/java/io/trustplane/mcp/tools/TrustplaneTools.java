package io.trustplane.mcp.tools;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolGuardrails;
import io.quarkus.security.identity.SecurityIdentity;
import io.trustplane.client.Model;
import io.trustplane.client.Model.Evidence;
import io.trustplane.client.Phase;
import io.trustplane.client.TrustplaneClient;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Trustplane as MCP tools. Every tool acts as the caller of the current request: the bearer token it came with is
 * what the services see (the agent's id is the token's subject, never an argument and never the session's opener),
 * so the same rules apply as over REST. Refusals come back as tool errors carrying the problem document; arguments a
 * tool does not take, and overlong strings, are refused before it runs ({@link ArgumentGuardrail}).
 */
@Singleton
public class TrustplaneTools {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final TrustplaneClient client;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final ToolErrors errors;

    public TrustplaneTools(TrustplaneClient client, SecurityIdentity identity) {
        this.client = client;
        this.identity = identity;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.errors = new ToolErrors(json);
    }

    /** One piece of evidence as a model gives it: the content itself, or its SHA-256 when it is too large to send. */
    public record EvidenceArg(
            @JsonPropertyDescription("What the evidence is; each phase needs its kinds: STRATEGIZE strategy, SPEC spec, "
                    + "PLAN plan, THINK analysis, IMPLEMENT diff and build, VERIFY test-report, REVIEW review, "
                    + "PR pull-request") String kind,
            @JsonPropertyDescription("Where the evidence lives (a URL, a file: URI, a commit...)") String uri,
            @JsonPropertyDescription("The evidence's text; its SHA-256 is computed from its UTF-8 bytes. Give this or sha256.")
            String content,
            @JsonPropertyDescription("SHA-256 of the evidence's bytes, 64 lower-case hex digits. Give this or content.")
            String sha256) {
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "check_action", description = "Ask Trustplane's role gate whether you may perform an action in a role "
            + "on a resource, before you do it. Answers decision ALLOW, DENY or ESCALATE (then wait for the escalation "
            + "to be decided) with the layer and rule that decided. You are always checked as yourself.")
    public String checkAction(
            @ToolArg(description = "The role you act in, e.g. deployer, reviewer") String role,
            @ToolArg(description = "The action, e.g. deploy, merge, delete (at most 64 characters)") String action,
            @ToolArg(description = "The resource the action is on, e.g. repo:payments or prod-db", required = false)
            String resourceId,
            @ToolArg(description = "The trust tier you claim (UNKNOWN, BASIC, VERIFIED, TRUSTED, PRIVILEGED or T0-T4); "
                    + "leave it out to be judged at your registered tier", required = false) String tier) {
        return out(errors.call(() -> client.gate().evaluate(new Model.Evaluation(caller(), role, tier,
                new Model.Evaluation.Context(resourceId, action)))));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "check_tool_call", description = "Before you call any tool, ask Trustplane's tool-call guard whether "
            + "you may make exactly this call (this tool with these arguments). Answers decision ALLOW, DENY or "
            + "ESCALATE with a receipt signed by Trustplane (keep it) and a decisionId. Only call the tool on ALLOW. "
            + "On ESCALATE the call waits for approval: once the escalation is approved, ask again with the same "
            + "tool and arguments and the approval is used for that one call. Afterwards report what the call did "
            + "with report_tool_result. You are always checked as yourself.")
    public String checkToolCall(
            @ToolArg(description = "The tool you are about to call, e.g. write_file or mcp__db__query") String tool,
            @ToolArg(description = "The arguments you will call it with, exactly (a JSON object)", required = false)
            Map<String, Object> arguments,
            @ToolArg(description = "What the call acts on, e.g. a file path or repo:payments", required = false)
            String resource,
            @ToolArg(description = "The role you act in (default OBSERVER), e.g. DEPLOYER", required = false)
            String role,
            @ToolArg(description = "The escalationId of an approved escalation to use for this call", required = false)
            String approvalId) {
        Model.ToolCall call = new Model.ToolCall(caller(), require("tool", tool), resource,
                arguments == null ? Map.of() : arguments, null, null, role, null, null, null, approvalId);
        return out(errors.call(() -> client.gate().checkToolCall(call)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "report_tool_result", description = "After a tool call that check_tool_call allowed, report what it "
            + "did: Trustplane answers a receipt linked to the decision's, and both are anchored in its log. "
            + "Reporting a call that was not allowed (or that ran with other arguments) is refused and raises an alert.")
    public String reportToolResult(
            @ToolArg(description = "The decisionId check_tool_call answered") String decisionId,
            @ToolArg(description = "The arguments the call ran with (a JSON object)", required = false)
            Map<String, Object> arguments,
            @ToolArg(description = "What the call returned (its text or a short JSON summary)") String result,
            @ToolArg(description = "SUCCEEDED or FAILED") String status) {
        uuid("decisionId", decisionId);
        String s = require("status", status).toUpperCase(Locale.ROOT);
        if (!s.equals("SUCCEEDED") && !s.equals("FAILED")) {
            throw errors.badArgument("status", "must be SUCCEEDED or FAILED");
        }
        return out(errors.call(() -> client.gate().reportToolResult(caller(), decisionId, arguments,
                require("result", result), s)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "create_task", description = "Create a task. It starts in phase STRATEGIZE; acquire its lease "
            + "(acquire_lease) before you work on it and move it forward with transition_phase.")
    public String createTask(
            @ToolArg(description = "Your id for the task: letters, digits, '.', '_', ':' or '-'") String taskId,
            @ToolArg(description = "A short title") String title,
            @ToolArg(description = "What the task is about", required = false) String description) {
        return out(errors.call(() -> client.tasks().create(taskId, title, description)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "acquire_lease", description = "Acquire the lease on one phase of a task, so that no other agent works "
            + "on it meanwhile. Answers the lease with its leaseId, fencingToken (pass it to transition_phase) and "
            + "expiresAt; renew it with renew_lease before it expires. A lease held by another agent is refused with "
            + "code lease_held, the holder and expiresInMs.")
    public String acquireLease(
            @ToolArg(description = "The task's id") String taskId,
            @ToolArg(description = "The phase: one of STRATEGIZE, SPEC, PLAN, THINK, IMPLEMENT, VERIFY, REVIEW, PR, MONITOR")
            String phase,
            @ToolArg(description = "How long the lease lasts, in seconds (default 300)", required = false) Integer ttlSeconds) {
        Phase p = phase("phase", phase);
        return out(errors.call(() -> client.leases().acquire(taskId, p, ttlSeconds)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "renew_lease", description = "Renew a lease you hold before it expires (a lease can be renewed a "
            + "limited number of times, then acquire a new one). Answers the lease with its new expiresAt.")
    public String renewLease(
            @ToolArg(description = "The leaseId acquire_lease answered") String leaseId,
            @ToolArg(description = "The new duration in seconds (default: the lease's own)", required = false) Integer ttlSeconds) {
        return out(errors.call(() -> client.leases().renew(leaseId, ttlSeconds)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "release_lease", description = "Release a lease you hold when you stop working on that phase.")
    public String releaseLease(@ToolArg(description = "The leaseId to release") String leaseId) {
        return out(errors.call(() -> client.leases().release(leaseId)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "transition_phase", description = "Move a task to its next phase (or back to an earlier one) with the "
            + "evidence the current phase requires, under the lease you hold on the current phase. Only one step "
            + "forward at a time. Answers the new phase and the lease handed to it with its new fencingToken: use that "
            + "token for the next transition. Missing evidence is refused with code evidence_gate_failed and the "
            + "missing kinds.")
    public String transitionPhase(
            @ToolArg(description = "The task's id") String taskId,
            @ToolArg(description = "The phase to move to: STRATEGIZE, SPEC, PLAN, THINK, IMPLEMENT, VERIFY, REVIEW, PR or MONITOR")
            String to,
            @ToolArg(description = "The fencingToken of your lease on the current phase") Long fencingToken,
            @ToolArg(description = "The evidence for leaving the current phase", required = false) List<EvidenceArg> evidence) {
        Phase target = phase("to", to);
        if (fencingToken == null) {
            throw errors.badArgument("fencingToken", "is required");
        }
        List<Evidence> items = evidence(evidence);
        return out(errors.call(() -> client.tasks().transition(taskId, target, items, fencingToken)));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "record_provenance", description = "Append a provenance record of something you produced to "
            + "Trustplane's tamper-evident log. Answers the record with its id, leafIndex and the signed checkpoint "
            + "that includes it; check it later with verify_record.")
    public String recordProvenance(
            @ToolArg(description = "How it came to be: FRESH, CLONED, EVOLVED, PROMOTED or IMPORTED") String creationType,
            @ToolArg(description = "A hash of the content, e.g. sha256:<hex>", required = false) String contentHash,
            @ToolArg(description = "The id of the record this one derives from", required = false) String parentId,
            @ToolArg(description = "Free-form facts about the artifact (a JSON object)", required = false)
            Map<String, Object> metadata) {
        Model.CreationType type = creationType("creationType", creationType);
        UUID parent = parentId == null ? null : uuid("parentId", parentId);
        return out(errors.call(() -> client.provenance().record(new Model.NewRecord(caller(), type, parent, contentHash,
                metadata))));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "verify_record", description = "Fetch what proves a provenance record is in the log: the record, its "
            + "inclusion proof against the latest signed checkpoint, that checkpoint and the log's public key. "
            + "The answer says whether it was verified locally; offline verification is not wired in yet, so "
            + "'verification' is 'not_performed' and the proof is given for an external verifier.")
    public String verifyRecord(@ToolArg(description = "The record's id") String recordId) {
        UUID id = uuid("recordId", recordId);
        return out(errors.call(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("record", client.provenance().get(id));
            out.put("proof", client.provenance().proof(id, null));
            out.put("checkpoint", client.provenance().checkpoint());
            out.put("logKey", client.provenance().key());
            out.put("verification", "not_performed");
            return out;
        }));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "get_task", description = "Get a task (its current phase and version) and the state of its ledger: "
            + "whether the hash chain of its transitions is intact.")
    public String getTask(@ToolArg(description = "The task's id") String taskId) {
        return out(errors.call(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", client.tasks().get(taskId));
            out.put("ledger", client.tasks().verifyLedger(taskId));
            return out;
        }));
    }

    @ToolGuardrails(input = ArgumentGuardrail.class)
    @Tool(name = "report_outcome", description = "Report whether a claim an agent made was confirmed by verification "
            + "(truth scoring): it moves that agent's trust score. Only operators, admins and services may report "
            + "outcomes; an agent's own token is refused with code forbidden.")
    public String reportOutcome(
            @ToolArg(description = "The agent whose claim was checked") String agentId,
            @ToolArg(description = "The claim, e.g. 'all tests pass'") String claim,
            @ToolArg(description = "true when verification confirmed the claim") Boolean confirmed) {
        if (confirmed == null) {
            throw errors.badArgument("confirmed", "is required");
        }
        return out(errors.call(() -> client.gate().reportOutcome(agentId, claim, confirmed)));
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    private Phase phase(String field, String value) {
        try {
            return Phase.valueOf(require(field, value).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw errors.badArgument(field, "must be one of " + List.of(Phase.values()));
        }
    }

    private Model.CreationType creationType(String field, String value) {
        try {
            return Model.CreationType.valueOf(require(field, value).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw errors.badArgument(field, "must be one of " + List.of(Model.CreationType.values()));
        }
    }

    private UUID uuid(String field, String value) {
        try {
            return UUID.fromString(require(field, value).trim());
        } catch (IllegalArgumentException e) {
            throw errors.badArgument(field, "must be a UUID");
        }
    }

    private String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw errors.badArgument(field, "is required");
        }
        return value;
    }

    private List<Evidence> evidence(List<EvidenceArg> args) {
        List<Evidence> out = new ArrayList<>();
        if (args == null) {
            return out;
        }
        for (int i = 0; i < args.size(); i++) {
            EvidenceArg a = args.get(i);
            String at = "evidence[" + i + "]";
            if (a == null) {
                throw errors.badArgument(at, "must be an object");
            }
            require(at + ".kind", a.kind());
            require(at + ".uri", a.uri());
            if (a.content() != null) {
                out.add(Evidence.of(a.kind(), a.uri(), a.content().getBytes(StandardCharsets.UTF_8)));
            } else if (a.sha256() != null && SHA256.matcher(a.sha256()).matches()) {
                out.add(new Evidence(a.kind(), a.uri(), a.sha256()));
            } else {
                throw errors.badArgument(at + ".sha256", "give content, or sha256 as 64 lower-case hex digits");
            }
        }
        return out;
    }

    private String out(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer", e);
        }
    }
}

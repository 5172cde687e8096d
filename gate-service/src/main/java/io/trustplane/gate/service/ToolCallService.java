package io.trustplane.gate.service;

import io.trustplane.gate.domain.AgentSnapshot;
import io.trustplane.gate.domain.ApprovalRules;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.GateEngine;
import io.trustplane.gate.domain.ToolCall;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.config.ToolCallConfig;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.gate.repository.ToolCallRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The tool-call guard: one decision per tool call, combining the agent's state and tier, role gates and policies
 * and capability ceilings (consumed only when the call is allowed), answered with a receipt signed by gate-service's
 * own key; approvals of escalated calls bound to the exact call (agent, tool, argument digest), used once before
 * they expire; and after the call, a result receipt linked by hash to the decision's. Both receipts are anchored
 * in the provenance log; a result without a prior ALLOW raises a gaming signal.
 */
@ApplicationScoped
public class ToolCallService {

    /** The gaming signal a result reported without a matching ALLOW raises (telemetry alerts on it). */
    public static final String UNAUTHORIZED_TOOL_CALL = "UNAUTHORIZED_TOOL_CALL";
    public static final String DECISION_RECEIPT = "trustplane.tool-call.decision/v1";
    public static final String RESULT_RECEIPT = "trustplane.tool-call.result/v1";

    private final GateService gate;
    private final CeilingService ceilings;
    private final ToolCallRepository repository;
    private final ReceiptSigner signer;
    private final ToolCallConfig config;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Map<ApprovalRules.Refusal, Counter> refusals = new EnumMap<>(ApprovalRules.Refusal.class);
    private final Counter unauthorizedResults;
    private final IdempotentTransactions transactions;
    private final Pool pool;

    public ToolCallService(GateService gate, CeilingService ceilings, ToolCallRepository repository, ReceiptKey key,
            ToolCallConfig config, Outbox outbox, ObjectMapper json, MeterRegistry registry,
            IdempotentTransactions transactions, Pool pool) {
        this.pool = pool;
        this.gate = gate;
        this.ceilings = ceilings;
        this.repository = repository;
        this.signer = key.signer();
        this.config = config;
        this.outbox = outbox;
        this.json = json;
        this.transactions = transactions;
        for (ApprovalRules.Refusal r : ApprovalRules.Refusal.values()) {
            refusals.put(r, Counter.builder("trustplane_gate_approval_refusals_total")
                    .description("Approvals refused when presented, by reason").tag("reason", r.code())
                    .register(registry));
        }
        this.unauthorizedResults = registry.counter("trustplane_gate_tool_call_unauthorized_results_total");
    }

    /** What an agent is about to call; {@code argumentsDigest} is {@code sha256:<hex>} of the canonical arguments. */
    public record Request(String agentId, String tool, String resource, String argumentsDigest, String summary,
            String role, String resourceType, Long amount, String callId, UUID approvalId) {
    }

    /** An issued decision: the stored call and its signed receipt. */
    public record Issued(ToolCall call, Map<String, Object> receipt) {
    }

    /** What the agent reports after the call. */
    public record Result(String agentId, UUID decisionId, String callId, String argumentsDigest, String resultDigest,
            String status) {
    }

    public String keyId() {
        return signer.keyId();
    }

    public ReceiptSigner signer() {
        return signer;
    }

    public Uni<ToolCall> find(UUID id) {
        return repository.find(id);
    }

    /** The escalated call an escalation asks about, with the escalation's status, or null. */
    public Uni<ToolCall.Approval> approval(UUID escalationId) {
        return repository.approval(escalationId);
    }

    /**
     * Decides on a call. A retry under an {@code Idempotency-Key} whose first attempt stored its decision but never its
     * answer gets that decision back, and nothing (ceiling, approval, escalation) is used again.
     */
    public Uni<Issued> decide(Request r) {
        String earlier = transactions.resumed();
        if (earlier != null) {
            // as with a call id: the stored decision is given again only while its receipt is valid and the agent may
            // still act (a suspended or contained agent gets no earlier ALLOW back through its Idempotency-Key)
            return repository.find(UUID.fromString(earlier)).flatMap(call -> gate.agent(r.agentId()).map(agent -> {
                if (agent == null || agent.suspended() || agent.contained()
                        || !call.expiresAt().isAfter(Instant.now())) {
                    throw ProblemException.conflict("decision_withdrawn", "the decision stored under this "
                            + "Idempotency-Key (" + call.id() + ") is no longer given again: its receipt expired, or the "
                            + "agent is suspended or contained; a new decision needs a new key")
                            .with("field", "Idempotency-Key");
                }
                return new Issued(call, receipt(call.receipt()));
            }));
        }
        if (r.approvalId() != null) {
            return useApproval(r, r.approvalId());
        }
        String role = r.role() == null ? config.defaultRole() : r.role();
        return repository.prior(r.agentId(), r.callId(), r.tool(), r.argumentsDigest()).flatMap(prior -> {
            if (prior.sameCallId() != null) {
                // a runtime asking again about the same call (a retried hook) gets the decision it already has,
                // without drawing on a ceiling again; the same id for another call is refused before anything is used
                return gate.agent(r.agentId()).map(agent -> replay(r, prior.sameCallId(), agent));
            }
            // an approval already given for exactly this call (agent, tool, argument digest) is used for it first, so
            // a runtime's hook only has to make the same call again once the escalation is approved
            return prior.approved() != null ? useApproval(r, prior.approved().call().escalationId())
                    : evaluate(r, role);
        });
    }

    /**
     * The decision already given under a call id, again: only for the same call, only while its receipt is valid and
     * only while the agent may still act (a suspended or contained agent gets no earlier ALLOW back).
     */
    private Issued replay(Request r, ToolCall earlier, AgentSnapshot agent) {
        if (!earlier.tool().equals(r.tool()) || !earlier.argumentsDigest().equals(r.argumentsDigest())) {
            throw ProblemException.conflict("duplicate_call_id", "callId '" + r.callId() + "' already names a call of "
                    + earlier.tool() + " with other arguments; a runtime's call id names one call").with("field", "callId");
        }
        if (agent == null || agent.suspended() || agent.contained() || !earlier.expiresAt().isAfter(Instant.now())) {
            throw ProblemException.conflict("duplicate_call_id", "callId '" + r.callId() + "' was decided at "
                    + earlier.issuedAt() + "; that decision is no longer given again (its receipt expired, or the agent "
                    + "is suspended or contained): a new call needs a new call id").with("field", "callId");
        }
        return new Issued(earlier, receipt(earlier.receipt()));
    }

    /** A stored receipt (its canonical JSON) as served. */
    private Map<String, Object> receipt(String stored) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> receipt = json.readValue(stored, LinkedHashMap.class);
            return receipt;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored receipt is not JSON", e);
        }
    }

    private Uni<Issued> evaluate(Request r, String role) {
        return gate.evaluate(r.agentId(), role, null, r.resource(), r.tool()).flatMap(e -> switch (e.decision()) {
                    case ALLOW -> withinCeiling(r, e.layer().name(), e.ruleId(), e.reason(), e.policyRevision(), null,
                            null);
                    case DENY -> issue(r, Decision.DENY, e.layer().name(), e.ruleId(), e.reason(), e.policyRevision(),
                            null, null, null);
                    case ESCALATE -> issue(r, Decision.ESCALATE, e.layer().name(), e.ruleId(), e.reason(),
                            e.policyRevision(), UUID.fromString(e.escalationId()), null, null);
                });
    }

    private Uni<Issued> useApproval(Request r, UUID approvalId) {
        Instant now = Instant.now();
        return gate.agent(r.agentId()).flatMap(agent -> agent != null && agent.contained()
                ? issue(r, Decision.DENY, "KERNEL", GateEngine.CONTAINED, "agent is contained: "
                        + agent.containment().reason() + "; its approvals cannot be used", gate.policyRevision(), null,
                        null, null)
                : agent == null || agent.suspended()
                ? issue(r, Decision.DENY, "KERNEL", "kernel:suspended", "agent is suspended or not registered; its "
                        + "approvals cannot be used", gate.policyRevision(), null, null, null)
                : useOnce(approvalId, a -> ApprovalRules.check(a, r.agentId(), r.tool(), r.argumentsDigest(), now,
                        config.approvalTtl()))
                .flatMap(refused -> {
                    if (refused.isPresent()) {
                        refusals.get(refused.get()).increment();
                        return Uni.createFrom().failure(ApprovalRules.problem(refused.get(), approvalId.toString()));
                    }
                    return repository.approval(approvalId).flatMap(a -> withinCeiling(r, "APPROVAL",
                            "approval:" + approvalId, "approved by escalation " + approvalId,
                            gate.policyRevision(), approvalId, a.call().id()));
                }));
    }

    /**
     * Uses an approval once: under the escalated call's row lock {@code refusal} (a pure rule) decides, and when it
     * finds nothing wrong the approval is marked used in the same transaction, so of concurrent uses exactly one gets
     * through. Returns the refusal, or empty with the approval used.
     */
    private Uni<Optional<ApprovalRules.Refusal>> useOnce(UUID approvalId,
            Function<ToolCall.Approval, Optional<ApprovalRules.Refusal>> refusal) {
        return pool.withTransaction(conn -> repository.lockApproval(conn, approvalId).flatMap(a -> {
            Optional<ApprovalRules.Refusal> refused = refusal.apply(a);
            return refused.isPresent() ? Uni.createFrom().item(refused)
                    : repository.markUsed(conn, a.call().id()).replaceWith(Optional.<ApprovalRules.Refusal>empty());
        }));
    }

    /**
     * An allowed call still needs room under its ceiling; a refused ceiling turns it into a DENY and gives a used
     * approval back, so the approval can still be used once there is room.
     */
    private Uni<Issued> withinCeiling(Request r, String layer, String ruleId, String reason, long policyRevision,
            UUID approvalId, UUID approvedFrom) {
        if (r.resourceType() == null) {
            return issue(r, Decision.ALLOW, layer, ruleId, reason, policyRevision, null, approvalId, approvedFrom);
        }
        return ceilings.check(r.agentId(), r.resourceType(), r.amount() == null ? 1 : r.amount(), null)
                .flatMap(c -> {
                    if (c.allowed()) {
                        return issue(r, Decision.ALLOW, layer, ruleId, reason, policyRevision, null, approvalId,
                                approvedFrom);
                    }
                    Uni<Void> giveBack = approvalId == null ? Uni.createFrom().voidItem()
                            : repository.release(approvalId);
                    return giveBack.flatMap(v -> issue(r, Decision.DENY, "CEILING", "ceiling:" + c.status().name(),
                            c.reason(), policyRevision, null, null, null));
                });
    }

    private Uni<Issued> issue(Request r, Decision decision, String layer, String ruleId, String reason,
            long policyRevision, UUID escalationId, UUID approvalId, UUID approvedFrom) {
        UUID id = UuidV7.next();
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = issuedAt.plus(config.receiptTtl());
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("type", DECISION_RECEIPT);
        receipt.put("decisionId", id.toString());
        receipt.put("agentId", r.agentId());
        receipt.put("tool", r.tool());
        putIfPresent(receipt, "resource", r.resource());
        receipt.put("argumentsDigest", r.argumentsDigest());
        receipt.put("policyVersion", policyRevision);
        receipt.put("decision", decision.name());
        receipt.put("layer", layer);
        putIfPresent(receipt, "ruleId", ruleId);
        putIfPresent(receipt, "escalationId", escalationId == null ? null : escalationId.toString());
        putIfPresent(receipt, "approvalId", approvalId == null ? null : approvalId.toString());
        putIfPresent(receipt, "approvedFrom", approvedFrom == null ? null : approvedFrom.toString());
        receipt.put("issuedAt", issuedAt.toString());
        receipt.put("expiresAt", expiresAt.toString());
        receipt.put("keyId", signer.keyId());
        Signed signed = sign(receipt);
        ToolCall call = new ToolCall(id, r.agentId(), r.callId(), r.tool(), r.resource(), r.argumentsDigest(),
                r.summary(), decision, layer, ruleId, reason, escalationId, approvedFrom, signed.canonical(),
                signed.hash(), issuedAt, expiresAt, null, null, null, null, null);
        // the receipt's anchor leaves through the outbox in the same transaction as the stored decision, and a request's
        // Idempotency-Key is linked to the decision there too
        DomainEvent.ToolCallDecided decided = new DomainEvent.ToolCallDecided(id.toString(), r.tool(),
                r.argumentsDigest(), decision.name(), layer, signed.hash(), signed.receipt());
        Function<SqlClient, Uni<Void>> link = transactions.linkTo(id.toString());
        return pool.withTransaction(conn -> repository.insert(conn, call).flatMap(stored -> !stored
                        ? Uni.createFrom().item(false)
                        : link.apply(conn).chain(() -> outbox.write(conn, Outbox.event(r.agentId(), decided)))
                                .replaceWith(true)))
                .map(stored -> {
                    if (!stored) {
                        throw ProblemException.conflict("duplicate_call_id", "callId '" + r.callId()
                                + "' already has a decision; a runtime's call id names one call").with("field", "callId");
                    }
                    outbox.committed();
                    return new Issued(call, signed.receipt());
                });
    }

    /**
     * Records what a call did: only once, only for this agent's own ALLOW and only for the arguments it allowed.
     * Anything else is refused and raises {@value #UNAUTHORIZED_TOOL_CALL}: a tool ran that Trustplane did not allow.
     * A retry under an {@code Idempotency-Key} whose first attempt stored the result but never its answer gets that
     * result's receipt back.
     */
    public Uni<Issued> report(Result r) {
        String earlier = transactions.resumed();
        if (earlier != null) {
            return repository.find(UUID.fromString(earlier))
                    .map(call -> new Issued(call, receipt(call.resultReceipt())));
        }
        Uni<ToolCall> found = r.decisionId() != null ? repository.find(r.decisionId())
                : repository.findByCallId(r.agentId(), r.callId());
        return found.flatMap(call -> {
            String ref = r.decisionId() != null ? "decision " + r.decisionId() : "call '" + r.callId() + "'";
            if (call == null || !call.agentId().equals(r.agentId()) || call.decision() != Decision.ALLOW) {
                return unauthorized(r, "no_prior_allow", "a result was reported for " + ref
                        + " without a prior ALLOW for it", "decisionId");
            }
            if (r.argumentsDigest() != null && !r.argumentsDigest().equals(call.argumentsDigest())) {
                return unauthorized(r, "arguments_mismatch", "the call ran with arguments " + r.argumentsDigest()
                        + " but " + call.argumentsDigest() + " were allowed", "argumentsDigest");
            }
            Map<String, Object> receipt = new LinkedHashMap<>();
            receipt.put("type", RESULT_RECEIPT);
            receipt.put("decisionId", call.id().toString());
            receipt.put("agentId", call.agentId());
            receipt.put("tool", call.tool());
            receipt.put("argumentsDigest", call.argumentsDigest());
            receipt.put("decisionReceiptHash", call.receiptHash());
            receipt.put("resultDigest", r.resultDigest());
            receipt.put("status", r.status());
            receipt.put("reportedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            receipt.put("keyId", signer.keyId());
            Signed signed = sign(receipt);
            DomainEvent.ToolCallCompleted completed = new DomainEvent.ToolCallCompleted(call.id().toString(),
                    call.tool(), r.status(), call.receiptHash(), signed.hash(), signed.receipt());
            Function<SqlClient, Uni<Void>> link = transactions.linkTo(call.id().toString());
            return pool.withTransaction(conn -> repository.recordResult(conn, call.id(), r.status(),
                    r.resultDigest(), signed.canonical()).flatMap(first -> !first ? Uni.createFrom().item(false)
                    : link.apply(conn).chain(() -> outbox.write(conn, Outbox.event(call.agentId(), completed)))
                            .replaceWith(true))).map(first -> {
                        if (!first) {
                            throw ProblemException.conflict("result_already_reported", "a result for " + ref
                                    + " was already reported");
                        }
                        outbox.committed();
                        return new Issued(call, signed.receipt());
                    });
        });
    }

    private Uni<Issued> unauthorized(Result r, String code, String detail, String field) {
        unauthorizedResults.increment();
        String ref = r.decisionId() != null ? r.decisionId().toString() : r.callId();
        outbox.writeNow(r.agentId(), new DomainEvent.GamingSignal(UNAUTHORIZED_TOOL_CALL, detail, ref, null, null,
                null));
        return Uni.createFrom().failure(ProblemException.conflict(code, detail).with("field", field));
    }

    /** A signed receipt, its canonical JSON text and the {@code sha256:} hash of that text. */
    private record Signed(Map<String, Object> receipt, String canonical, String hash) {
    }

    private Signed sign(Map<String, Object> unsigned) {
        Map<String, Object> receipt = new LinkedHashMap<>(unsigned);
        receipt.put(ReceiptSigner.SIGNATURE, signer.signature(ReceiptSigner.canonical(write(unsigned))));
        byte[] canonical = ReceiptSigner.canonical(write(receipt));
        String hash = "sha256:" + HexFormat.of().formatHex(ReceiptSigner.sha256(canonical));
        return new Signed(receipt, new String(canonical, StandardCharsets.UTF_8), hash);
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}

package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.EscalationStatus;
import io.trustplane.gate.domain.ToolCall;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** SQL for tool-call decisions, the one-time use of their approvals and their reported results. */
@ApplicationScoped
public class ToolCallRepository {

    private static final String COLUMNS = "id, agent_id, call_id, tool, resource, arguments_digest, summary, decision, "
            + "layer, rule_id, reason, escalation_id, approved_from, receipt, receipt_hash, issued_at, expires_at, "
            + "approval_used_at, result_status, result_digest, result_receipt, reported_at";

    private final Pool pool;

    public ToolCallRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores an issued decision and, in the same transaction, what {@code inTx} adds (its receipt's anchor in the
     * outbox); false, with nothing written, when the agent already used {@code callId} for another decision.
     */
    public Uni<Boolean> insert(ToolCall c, InTransaction<ToolCall> inTx) {
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO tool_calls (id, agent_id, call_id, tool, resource, arguments_digest, "
                        + "summary, decision, layer, rule_id, reason, escalation_id, approved_from, receipt, receipt_hash, "
                        + "issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                        + "$15, $16, $17) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(Arrays.asList(c.id(), c.agentId(), c.callId(), c.tool(), c.resource(),
                        c.argumentsDigest(), c.summary(), c.decision().name(), c.layer(), c.ruleId(), c.reason(),
                        c.escalationId(), c.approvedFrom(), c.receipt(), c.receiptHash(), utc(c.issuedAt()),
                        utc(c.expiresAt()))))
                .flatMap(rows -> rows.rowCount() == 1 ? inTx.apply(conn, c).replaceWith(true)
                        : Uni.createFrom().item(false)));
    }

    public Uni<ToolCall> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tool_calls WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<ToolCall> findByCallId(String agentId, String callId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tool_calls WHERE agent_id = $1 AND call_id = $2")
                .execute(Tuple.of(agentId, callId))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** The escalated call of an escalation, with its escalation's status, or null. */
    public Uni<ToolCall.Approval> approval(UUID escalationId) {
        return pool.preparedQuery(APPROVAL + " WHERE t.escalation_id = $1").execute(Tuple.of(escalationId))
                .map(rows -> rows.size() == 0 ? null : approval(rows.iterator().next()));
    }

    /**
     * What a new call must know before it is decided, in one round trip: the decision this agent already has under the
     * runtime's {@code callId} (null when none or no id), and an approved, unused escalated call of this agent for
     * exactly this tool and argument digest (null when none).
     */
    public Uni<Prior> prior(String agentId, String callId, String tool, String argumentsDigest) {
        return pool.preparedQuery("SELECT 'call' AS found, " + COLUMNS + ", NULL AS escalation_status, NULL::timestamptz"
                        + " AS escalation_decided_at FROM tool_calls WHERE agent_id = $1 AND call_id = $4 UNION ALL ("
                        + "SELECT 'approval', " + prefixed("t") + ", e.status, e.decided_at FROM tool_calls t JOIN "
                        + "escalations e ON e.id = t.escalation_id WHERE t.agent_id = $1 AND t.tool = $2 AND "
                        + "t.arguments_digest = $3 AND t.decision = 'ESCALATE' AND t.approval_used_at IS NULL AND "
                        + "e.status = 'APPROVED' ORDER BY e.decided_at DESC LIMIT 1)")
                .execute(Tuple.of(agentId, tool, argumentsDigest, callId))
                .map(rows -> {
                    ToolCall call = null;
                    ToolCall.Approval approved = null;
                    for (Row row : rows) {
                        if (row.getString("found").equals("call")) {
                            call = map(row);
                        } else {
                            approved = approval(row);
                        }
                    }
                    return new Prior(call, approved);
                });
    }

    /** See {@link #prior}. */
    public record Prior(ToolCall sameCallId, ToolCall.Approval approved) {
    }

    /**
     * Uses an approval once: under the escalated call's row lock, {@code refusal} (a pure rule) decides; when it
     * finds nothing wrong the approval is marked used in the same transaction, so of concurrent uses exactly one
     * gets through. Returns the refusal, or empty with the approval used.
     */
    public <R> Uni<Optional<R>> use(UUID escalationId, Function<ToolCall.Approval, Optional<R>> refusal) {
        return pool.withTransaction(conn -> conn.preparedQuery(APPROVAL + " WHERE t.escalation_id = $1 FOR UPDATE OF t")
                .execute(Tuple.of(escalationId))
                .flatMap(rows -> {
                    ToolCall.Approval a = rows.size() == 0 ? null : approval(rows.iterator().next());
                    Optional<R> refused = refusal.apply(a);
                    if (refused.isPresent()) {
                        return Uni.createFrom().item(refused);
                    }
                    return conn.preparedQuery("UPDATE tool_calls SET approval_used_at = now() WHERE id = $1")
                            .execute(Tuple.of(a.call().id())).replaceWith(Optional.<R>empty());
                }));
    }

    /** Gives a used approval back (the call it granted was then refused by a ceiling). */
    public Uni<Void> release(UUID escalationId) {
        return pool.preparedQuery("UPDATE tool_calls SET approval_used_at = NULL WHERE escalation_id = $1")
                .execute(Tuple.of(escalationId)).replaceWithVoid();
    }

    /**
     * Writes a call's result once, with what {@code inTx} adds in the same transaction; false, with nothing written,
     * when a result was already reported for it.
     */
    public Uni<Boolean> recordResult(UUID id, String status, String resultDigest, String resultReceipt,
            InTransaction<UUID> inTx) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE tool_calls SET result_status = $2, "
                        + "result_digest = $3, result_receipt = $4, reported_at = now() WHERE id = $1 "
                        + "AND reported_at IS NULL")
                .execute(Tuple.of(id, status, resultDigest, resultReceipt))
                .flatMap(rows -> rows.rowCount() == 1 ? inTx.apply(conn, id).replaceWith(true)
                        : Uni.createFrom().item(false)));
    }

    private static final String APPROVAL = "SELECT " + prefixed("t") + ", e.status AS escalation_status, e.decided_at "
            + "AS escalation_decided_at FROM tool_calls t JOIN escalations e ON e.id = t.escalation_id";

    private static String prefixed(String alias) {
        return Arrays.stream(COLUMNS.split(",\\s*")).map(c -> alias + "." + c).reduce((a, b) -> a + ", " + b)
                .orElseThrow();
    }

    private static ToolCall.Approval approval(Row row) {
        return new ToolCall.Approval(map(row), EscalationStatus.valueOf(row.getString("escalation_status")),
                instant(row.getOffsetDateTime("escalation_decided_at")));
    }

    private static ToolCall map(Row r) {
        return new ToolCall(r.getUUID("id"), r.getString("agent_id"), r.getString("call_id"), r.getString("tool"),
                r.getString("resource"), r.getString("arguments_digest"), r.getString("summary"),
                Decision.valueOf(r.getString("decision")), r.getString("layer"), r.getString("rule_id"),
                r.getString("reason"), r.getUUID("escalation_id"), r.getUUID("approved_from"), r.getString("receipt"),
                r.getString("receipt_hash"), instant(r.getOffsetDateTime("issued_at")),
                instant(r.getOffsetDateTime("expires_at")), instant(r.getOffsetDateTime("approval_used_at")),
                r.getString("result_status"), r.getString("result_digest"), r.getString("result_receipt"),
                instant(r.getOffsetDateTime("reported_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}

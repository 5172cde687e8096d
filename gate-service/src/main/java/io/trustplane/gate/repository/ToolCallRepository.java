package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.Decision;
import io.trustplane.gate.domain.EscalationStatus;
import io.trustplane.gate.domain.ToolCall;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

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
     * Stores an issued decision in the caller's transaction; false, with nothing written, when the agent already used
     * {@code callId} for another decision.
     */
    public Uni<Boolean> insert(SqlClient conn, ToolCall c) {
        return conn.preparedQuery("INSERT INTO tool_calls (id, agent_id, call_id, tool, resource, arguments_digest, "
                        + "summary, decision, layer, rule_id, reason, escalation_id, approved_from, receipt, receipt_hash, "
                        + "issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                        + "$15, $16, $17) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(Arrays.asList(c.id(), c.agentId(), c.callId(), c.tool(), c.resource(),
                        c.argumentsDigest(), c.summary(), c.decision().name(), c.layer(), c.ruleId(), c.reason(),
                        c.escalationId(), c.approvedFrom(), c.receipt(), c.receiptHash(), utc(c.issuedAt()),
                        utc(c.expiresAt()))))
                .map(rows -> rows.rowCount() == 1);
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
     * The escalated call of an escalation under its row lock (in the caller's transaction), so that of concurrent uses
     * of one approval exactly one sees it unused; null when there is none.
     */
    public Uni<ToolCall.Approval> lockApproval(SqlClient conn, UUID escalationId) {
        return conn.preparedQuery(APPROVAL + " WHERE t.escalation_id = $1 FOR UPDATE OF t").execute(Tuple.of(escalationId))
                .map(rows -> rows.size() == 0 ? null : approval(rows.iterator().next()));
    }

    /** Marks an approval used, in the transaction that locked it. */
    public Uni<Void> markUsed(SqlClient conn, UUID callId) {
        return conn.preparedQuery("UPDATE tool_calls SET approval_used_at = now() WHERE id = $1")
                .execute(Tuple.of(callId)).replaceWithVoid();
    }

    /** Gives a used approval back (the call it granted was then refused by a ceiling). */
    public Uni<Void> release(UUID escalationId) {
        return pool.preparedQuery("UPDATE tool_calls SET approval_used_at = NULL WHERE escalation_id = $1")
                .execute(Tuple.of(escalationId)).replaceWithVoid();
    }

    /**
     * Writes a call's result once, in the caller's transaction; false, with nothing written, when a result was already
     * reported for it.
     */
    public Uni<Boolean> recordResult(SqlClient conn, UUID id, String status, String resultDigest, String resultReceipt) {
        return conn.preparedQuery("UPDATE tool_calls SET result_status = $2, result_digest = $3, result_receipt = $4, "
                        + "reported_at = now() WHERE id = $1 AND reported_at IS NULL")
                .execute(Tuple.of(id, status, resultDigest, resultReceipt))
                .map(rows -> rows.rowCount() == 1);
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

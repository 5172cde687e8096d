package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.EscalationRecord;
import io.trustplane.gate.domain.EscalationStatus;
import io.trustplane.gate.domain.Quorum;
import io.trustplane.gate.domain.Vote;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** SQL for escalations and validator votes; every state change happens under the escalation's row lock. */
@ApplicationScoped
public class EscalationRepository {

    private static final String COLUMNS = "id, evaluation_id, agent_id, role, tier, resource_id, action, reason, "
            + "status, n, f, deadline, decision, decided_by, decision_note, created_at, decided_at";

    private final Pool pool;
    public EscalationRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores a new OPEN escalation deciding by {@code quorum} until {@code timeout} from now. */
    public Uni<Void> insert(SqlConnection conn, UUID id, UUID evaluationId, String agentId, String role, String tier,
            String resourceId, String action, String reason, Quorum quorum, Duration timeout) {
        return conn.preparedQuery("INSERT INTO escalations (id, "
                        + "evaluation_id, agent_id, role, tier, resource_id, action, reason, status, n, f, deadline) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'OPEN', $9, $10, "
                        + "now() + make_interval(secs => $11))")
                .execute(Tuple.from(Arrays.asList(id, evaluationId, agentId, role, tier, resourceId, action, reason,
                        quorum.n(), quorum.f(), timeout.toMillis() / 1000.0)))
                .replaceWithVoid();
    }

    public Uni<EscalationRecord> find(UUID id) {
        return pool.withConnection(conn -> load(conn, id, false));
    }

    /** The escalation with its votes under its row lock, or null. */
    public Uni<EscalationRecord> lock(SqlConnection conn, UUID id) {
        return load(conn, id, true);
    }

    /** The escalation with its votes as {@code conn} sees it now, or null. */
    public Uni<EscalationRecord> reload(SqlConnection conn, UUID id) {
        return load(conn, id, false);
    }

    /** Whether the escalation's voting deadline has passed by the database's clock. */
    public Uni<Boolean> deadlinePassed(SqlConnection conn, UUID id) {
        return conn.preparedQuery("SELECT deadline <= now() FROM escalations WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Stores a validator's vote; false, with nothing written, when this validator has voted already. */
    public Uni<Boolean> insertVote(SqlConnection conn, UUID id, String validatorId, boolean approve, String reason) {
        return conn.preparedQuery("INSERT INTO escalation_votes (escalation_id, validator_id, approve, "
                        + "reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(id, validatorId, approve, reason))
                .map(inserted -> inserted.rowCount() == 1);
    }

    /** Stores a decision ({@code decision} is the gate decision it stands for) and answers the escalation after it. */
    public Uni<EscalationRecord> decide(SqlConnection conn, UUID id, EscalationStatus status, String decision,
            String by, String note) {
        return conn.preparedQuery("UPDATE escalations SET status = $2, decision = $3, decided_by = $4, "
                        + "decision_note = $5, decided_at = now() WHERE id = $1")
                .execute(Tuple.of(id, status.name(), decision, by, note))
                .flatMap(x -> load(conn, id, false));
    }

    /**
     * Revokes an agent's open approvals as {@code revokedBy}: its open escalations, and approved ones whose
     * escalated tool call has not used them yet. Answers the ids revoked.
     */
    public Uni<List<String>> revokeApprovals(SqlConnection conn, String agentId, String revokedBy, String note) {
        return conn.preparedQuery("UPDATE escalations SET status = 'REJECTED', "
                        + "decision = 'DENY', decided_by = $2, decision_note = $3, decided_at = now() "
                        + "WHERE agent_id = $1 AND (status IN ('OPEN', 'AWAITING_OPERATOR') "
                        + "OR (status = 'APPROVED' AND id IN (SELECT escalation_id FROM tool_calls "
                        + "WHERE agent_id = $1 AND decision = 'ESCALATE' AND approval_used_at IS NULL "
                        + "AND escalation_id IS NOT NULL))) RETURNING id")
                .execute(Tuple.of(agentId, revokedBy, note))
                .map(rows -> {
                    List<String> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(r.getUUID(0).toString()));
                    return out;
                });
    }

    /**
     * One page of escalations in creation order after the keyset position, with their votes; {@code statuses} and
     * {@code agentId} are optional filters (null = any).
     */
    public Uni<List<EscalationRecord>> list(List<EscalationStatus> statuses, String agentId, Instant afterCreated,
            UUID afterId, int fetch) {
        String votes = "FROM escalation_votes v WHERE v.escalation_id = e.id ORDER BY v.voted_at, v.validator_id";
        String sql = "SELECT " + COLUMNS.replaceAll("(^|, )", "$1e.") + ", ARRAY(SELECT v.validator_id " + votes
                + ") AS v_ids, ARRAY(SELECT v.approve " + votes + ") AS v_approve, ARRAY(SELECT v.reason " + votes
                + ") AS v_reason, ARRAY(SELECT v.voted_at " + votes + ") AS v_at FROM escalations e "
                + "WHERE ($1::text[] IS NULL OR e.status = ANY($1)) AND ($2::text IS NULL OR e.agent_id = $2) "
                + "AND ($3::timestamptz IS NULL OR (e.created_at, e.id) > ($3, $4)) ORDER BY e.created_at, e.id LIMIT $5";
        String[] names = statuses == null ? null : statuses.stream().map(Enum::name).toArray(String[]::new);
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(names, agentId,
                        afterCreated == null ? null : afterCreated.atOffset(java.time.ZoneOffset.UTC), afterId, fetch)))
                .map(rows -> {
                    List<EscalationRecord> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        String[] ids = r.getArrayOfStrings("v_ids");
                        Boolean[] approve = r.getArrayOfBooleans("v_approve");
                        String[] reason = r.getArrayOfStrings("v_reason");
                        java.time.OffsetDateTime[] at = r.getArrayOfOffsetDateTimes("v_at");
                        List<Vote> list = new ArrayList<>(ids.length);
                        for (int i = 0; i < ids.length; i++) {
                            list.add(new Vote(ids[i], approve[i], reason[i], at[i].toInstant()));
                        }
                        out.add(map(r, list));
                    }
                    return out;
                });
    }

    /**
     * Moves up to {@code batch} OPEN escalations past their deadline to AWAITING_OPERATOR; rows another replica is
     * sweeping are skipped, so each goes to one replica only.
     */
    public Uni<List<EscalationRecord>> expire(SqlConnection conn, int batch) {
        return conn.preparedQuery("UPDATE escalations SET status = 'AWAITING_OPERATOR' "
                        + "WHERE id IN (SELECT id FROM escalations WHERE status = 'OPEN' AND deadline <= now() "
                        + "LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(batch))
                .map(rows -> {
                    List<EscalationRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r, List.of())));
                    return out;
                });
    }

    private Uni<EscalationRecord> load(SqlConnection conn, UUID id, boolean lock) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM escalations WHERE id = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    return conn.preparedQuery("SELECT validator_id, approve, reason, voted_at FROM escalation_votes "
                                    + "WHERE escalation_id = $1 ORDER BY voted_at, validator_id")
                            .execute(Tuple.of(id))
                            .map(votes -> {
                                List<Vote> list = new ArrayList<>();
                                votes.forEach(v -> list.add(new Vote(v.getString(0), v.getBoolean(1), v.getString(2),
                                        AgentRepository.instant(v, "voted_at"))));
                                return map(row, list);
                            });
                });
    }

    private static EscalationRecord map(Row r, List<Vote> votes) {
        return new EscalationRecord(r.getUUID("id"), r.getUUID("evaluation_id"), r.getString("agent_id"),
                r.getString("role"), r.getString("tier"), r.getString("resource_id"), r.getString("action"),
                r.getString("reason"), EscalationStatus.valueOf(r.getString("status")), r.getInteger("n"),
                r.getInteger("f"), AgentRepository.instant(r, "deadline"), r.getString("decision"),
                r.getString("decided_by"), r.getString("decision_note"), AgentRepository.instant(r, "created_at"),
                AgentRepository.instant(r, "decided_at"), votes);
    }
}

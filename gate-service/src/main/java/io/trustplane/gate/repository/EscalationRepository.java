package io.trustplane.gate.repository;

import io.trustplane.common.idempotency.IdempotentTransactions;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.domain.EscalationStatus;
import io.trustplane.gate.domain.Quorum;
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
    private final IdempotentTransactions transactions;

    public EscalationRepository(Pool pool, IdempotentTransactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
    }

    /** A validator's vote. */
    public record Vote(String validatorId, boolean approve, String reason, Instant votedAt) {
    }

    /** An escalation with its votes. */
    public record EscalationRecord(UUID id, UUID evaluationId, String agentId, String role, String tier,
            String resourceId, String action, String reason, EscalationStatus status, int n, int f, Instant deadline,
            String decision, String decidedBy, String decisionNote, Instant createdAt, Instant decidedAt,
            List<Vote> votes) {

        public long approvals() {
            return votes.stream().filter(Vote::approve).count();
        }

        public long rejections() {
            return votes.size() - approvals();
        }
    }

    /** A state change: the escalation after it, and whether this call made the transition. */
    public record Transition(EscalationRecord escalation, boolean changed) {
    }

    public Uni<UUID> open(UUID evaluationId, String agentId, String role, String tier, String resourceId,
            String action, String reason, Quorum quorum, Duration timeout,
            InTransaction<UUID> inTx) {
        UUID id = UUID.randomUUID();
        // the insert and inTx's statement (the outbox) are sent together in one transaction
        return pool.withTransaction(conn -> Uni.combine().all().unis(conn.preparedQuery("INSERT INTO escalations (id, "
                        + "evaluation_id, agent_id, role, tier, resource_id, action, reason, status, n, f, deadline) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'OPEN', $9, $10, "
                        + "now() + make_interval(secs => $11))")
                .execute(Tuple.from(Arrays.asList(id, evaluationId, agentId, role, tier, resourceId, action, reason,
                        quorum.n(), quorum.f(), timeout.toMillis() / 1000.0))), inTx.apply(conn, id))
                .with((inserted, written) -> id));
    }

    public Uni<EscalationRecord> find(UUID id) {
        return pool.withConnection(conn -> load(conn, id, false));
    }

    /**
     * Records a vote and decides the escalation once the quorum is reached (or can no longer be reached).
     * A second vote by the same validator, a vote after the deadline or on a closed escalation is a 409.
     */
    public Uni<Transition> vote(UUID id, String validatorId, boolean approve, String reason, Quorum quorum,
            InTransaction<Transition> inTx) {
        return transactions.withTransaction(pool, conn -> load(conn, id, true).flatMap(e -> {
            if (e == null) {
                return Uni.createFrom().failure(ProblemException.notFound("escalation", id.toString()));
            }
            if (e.status() != EscalationStatus.OPEN) {
                return Uni.createFrom().failure(ProblemException.conflict("escalation_closed",
                        "escalation is " + e.status() + "; validators can no longer vote").with("status", e.status()));
            }
            return conn.preparedQuery("SELECT deadline <= now() FROM escalations WHERE id = $1").execute(Tuple.of(id))
                    .flatMap(expired -> {
                        if (expired.iterator().next().getBoolean(0)) {
                            // the sweeper moves it to AWAITING_OPERATOR; this transaction only refuses the vote
                            return Uni.createFrom().failure(ProblemException.conflict("escalation_closed",
                                    "the voting window has passed; an operator decides")
                                    .with("status", EscalationStatus.AWAITING_OPERATOR));
                        }
                        return conn.preparedQuery("INSERT INTO escalation_votes (escalation_id, validator_id, approve, "
                                        + "reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                                .execute(Tuple.of(id, validatorId, approve, reason))
                                .flatMap(inserted -> {
                                    if (inserted.rowCount() == 0) {
                                        return Uni.createFrom().failure(ProblemException.conflict("duplicate_vote",
                                                "validator '" + validatorId + "' has already voted on this escalation"));
                                    }
                                    return load(conn, id, false).flatMap(after -> {
                                        EscalationStatus outcome = quorum.outcome((int) after.approvals(),
                                                (int) after.rejections());
                                        if (outcome == null) {
                                            return Uni.createFrom().item(new Transition(after, false));
                                        }
                                        return decide(conn, id, outcome, "quorum", null);
                                    });
                                });
                    });
        }).call(t -> inTx.apply(conn, t)));
    }

    /** An operator's decision, allowed while OPEN or AWAITING_OPERATOR. */
    public Uni<Transition> operatorDecision(UUID id, boolean approve, String operator, String note,
            InTransaction<Transition> inTx) {
        return transactions.withTransaction(pool, conn -> load(conn, id, true).flatMap(e -> {
            if (e == null) {
                return Uni.createFrom().failure(ProblemException.notFound("escalation", id.toString()));
            }
            if (e.status().decided()) {
                return Uni.createFrom().failure(ProblemException.conflict("escalation_closed",
                        "escalation is already " + e.status()).with("status", e.status()));
            }
            return decide(conn, id, approve ? EscalationStatus.APPROVED : EscalationStatus.REJECTED, operator, note);
        }).call(t -> inTx.apply(conn, t)));
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

    /** Moves every OPEN escalation past its deadline to AWAITING_OPERATOR; each row goes to one replica only. */
    public Uni<List<EscalationRecord>> expire(InTransaction<List<EscalationRecord>> inTx) {
        return pool.withTransaction(conn -> conn.query("UPDATE escalations SET status = 'AWAITING_OPERATOR' "
                        + "WHERE id IN (SELECT id FROM escalations WHERE status = 'OPEN' AND deadline <= now() "
                        + "LIMIT 500 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute()
                .map(rows -> {
                    List<EscalationRecord> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r, List.of())));
                    return out;
                })
                .call(expired -> expired.isEmpty() ? Uni.createFrom().voidItem() : inTx.apply(conn, expired)));
    }

    private Uni<Transition> decide(SqlConnection conn, UUID id, EscalationStatus status, String by, String note) {
        return conn.preparedQuery("UPDATE escalations SET status = $2, decision = $3, decided_by = $4, "
                        + "decision_note = $5, decided_at = now() WHERE id = $1")
                .execute(Tuple.of(id, status.name(), status == EscalationStatus.APPROVED ? "ALLOW" : "DENY", by, note))
                .flatMap(x -> load(conn, id, false))
                .map(e -> new Transition(e, true));
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

package io.trustplane.gate.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.EscalationRecord;
import io.trustplane.gate.domain.EscalationStatus;
import io.trustplane.gate.domain.Quorum;
import io.trustplane.gate.domain.Vote;
import io.trustplane.gate.repository.entity.EscalationEntity;
import io.trustplane.gate.repository.entity.EscalationVoteEntity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Escalations and validator votes. The reads of the escalation routes (one escalation, the keyset-paged list) map
 * the rows as entities through Hibernate Reactive; every state change stays SQL on the reactive client: opening one
 * is on the evaluate path, a vote or decision runs under the escalation's row lock in the transaction that holds the
 * request's Idempotency-Key, and the deadline sweep and containment's revocation are single guarded statements.
 */
@ApplicationScoped
public class EscalationRepository {

    private static final String COLUMNS = "id, evaluation_id, agent_id, role, tier, resource_id, action, reason, "
            + "status, n, f, deadline, decision, decided_by, decision_note, created_at, decided_at";

    private final Pool pool;
    private final Mutiny.SessionFactory sessions;

    public EscalationRepository(Pool pool, Mutiny.SessionFactory sessions) {
        this.pool = pool;
        this.sessions = sessions;
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
        return sessions.withStatelessSession(s -> s.get(EscalationEntity.class, id).flatMap(e -> e == null
                ? Uni.createFrom().<EscalationRecord>nullItem()
                : votes(s, List.of(id)).map(votes -> record(e, votes.getOrDefault(id, List.of())))));
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
        // only the filters given, so each page is one indexed range scan (escalations_created / _agent_created)
        List<String> filters = new ArrayList<>();
        if (statuses != null) {
            filters.add("e.status in :statuses");
        }
        if (agentId != null) {
            filters.add("e.agentId = :agentId");
        }
        if (afterCreated != null) {
            filters.add("(e.createdAt, e.id) > (:afterCreated, :afterId)");
        }
        String hql = "from EscalationEntity e" + (filters.isEmpty() ? "" : " where " + String.join(" and ", filters))
                + " order by e.createdAt, e.id";
        return sessions.withStatelessSession(s -> {
            Mutiny.SelectionQuery<EscalationEntity> query = s.createSelectionQuery(hql,
                    EscalationEntity.class).setMaxResults(fetch);
            if (statuses != null) {
                query.setParameter("statuses", statuses);
            }
            if (agentId != null) {
                query.setParameter("agentId", agentId);
            }
            if (afterCreated != null) {
                query.setParameter("afterCreated", afterCreated).setParameter("afterId", afterId);
            }
            return query.getResultList().flatMap(page -> page.isEmpty() ? Uni.createFrom().item(List.of())
                    : votes(s, page.stream().map(e -> e.id).toList()).map(votes -> page.stream()
                            .map(e -> record(e, votes.getOrDefault(e.id, List.of()))).toList()));
        });
    }

    /** The votes on the escalations {@code ids}, each escalation's in the order they were cast. */
    private static Uni<Map<UUID, List<Vote>>> votes(Mutiny.StatelessSession s, List<UUID> ids) {
        return s.createSelectionQuery("from EscalationVoteEntity v where v.key.escalationId in :ids "
                        + "order by v.votedAt, v.key.validatorId", EscalationVoteEntity.class)
                .setParameter("ids", ids).getResultList()
                .map(rows -> rows.stream().collect(Collectors.groupingBy(v -> v.key.escalationId(),
                        Collectors.mapping(v -> new Vote(v.key.validatorId(), v.approve, v.reason, v.votedAt),
                                Collectors.toList()))));
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

    private static EscalationRecord record(EscalationEntity e, List<Vote> votes) {
        return new EscalationRecord(e.id, e.evaluationId, e.agentId, e.role, e.tier, e.resourceId, e.action, e.reason,
                e.status, e.n, e.f, e.deadline, e.decision, e.decidedBy, e.decisionNote, e.createdAt, e.decidedAt,
                votes);
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

package io.trustplane.gate.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.domain.FlagChange;
import io.trustplane.gate.domain.FlagRecord;
import io.trustplane.gate.domain.FlagStatus;
import io.trustplane.gate.domain.RolloutTrigger;
import io.trustplane.gate.repository.entity.FlagEntity;
import io.trustplane.gate.repository.entity.FlagHistoryEntity;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rollout flags and their stage history. The reads (a flag, the list, a flag's history) map the rows as entities
 * through Hibernate Reactive; every change stays SQL on the reactive client: each locks the flag row, writes its
 * history and its {@code rollout.*} event to the outbox in one transaction that also holds the request's
 * Idempotency-Key until the answer is stored, which a Hibernate session cannot join.
 */
@ApplicationScoped
public class FlagRepository {

    private static final String COLUMNS = "flag, description, stages, stage_index, status, triggers, version, "
            + "created_at, updated_at";

    private final Pool pool;
    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper mapper;

    public FlagRepository(Pool pool, Mutiny.SessionFactory sessions, ObjectMapper mapper) {
        this.pool = pool;
        this.sessions = sessions;
        this.mapper = mapper;
    }

    public Uni<FlagRecord> find(String flag) {
        return sessions.withStatelessSession(s -> s.get(FlagEntity.class, flag)).map(e -> e == null ? null : record(e));
    }

    public Uni<List<FlagRecord>> list() {
        return sessions.withStatelessSession(s -> s.createSelectionQuery("from FlagEntity order by flag",
                        FlagEntity.class).getResultList())
                .map(rows -> rows.stream().map(this::record).toList());
    }

    public Uni<List<FlagChange>> history(String flag) {
        return sessions.withStatelessSession(s -> s.createSelectionQuery(
                                "from FlagHistoryEntity where flag = :flag order by id", FlagHistoryEntity.class)
                        .setParameter("flag", flag).getResultList())
                .map(rows -> rows.stream().map(h -> new FlagChange(h.id, h.action, h.fromPercent, h.toPercent,
                        h.reason, h.actor, h.changedAt)).toList());
    }

    /** Stores a new flag at its first stage; null, with nothing written, when a flag of that name exists. */
    public Uni<FlagRecord> insert(SqlConnection conn, String flag, String description, List<Integer> stages,
            List<RolloutTrigger> triggers) {
        return conn.preparedQuery("INSERT INTO flags (flag, description, stages, status, triggers) VALUES ($1, $2, $3, "
                        + "'ACTIVE', $4) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.of(flag, description, stages.toArray(Integer[]::new), new JsonArray(json(triggers))))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** The flag under its row lock, or null. */
    public Uni<FlagRecord> lock(SqlConnection conn, String flag) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM flags WHERE flag = $1 FOR UPDATE").execute(Tuple.of(flag))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** Stores the flag's stage and status as {@code wanted} has them, and answers the flag after it. */
    public Uni<FlagRecord> update(SqlConnection conn, FlagRecord wanted) {
        return conn.preparedQuery("UPDATE flags SET stage_index = $2, status = $3, version = version + 1, "
                        + "updated_at = now() WHERE flag = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(wanted.flag(), wanted.stageIndex(), wanted.status().name()))
                .map(rows -> map(rows.iterator().next()));
    }

    /** Appends a change of {@code f} to its history. */
    public Uni<FlagChange> recordChange(SqlConnection conn, FlagRecord f, String action, int from, int to,
            String reason, String actor) {
        return conn.preparedQuery("INSERT INTO flag_history (flag, action, from_percent, to_percent, reason, actor) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, action, from_percent, to_percent, reason, actor, "
                        + "changed_at")
                .execute(Tuple.from(Arrays.asList(f.flag(), action, from, to, reason, actor)))
                .map(rows -> change(rows.iterator().next()));
    }

    /** The flags not rolled back, by name (what a contained agent is pinned to control in). */
    public Uni<List<String>> notRolledBack(SqlConnection conn) {
        return conn.query("SELECT flag FROM flags WHERE status <> 'ROLLED_BACK' ORDER BY flag").execute()
                .map(rows -> {
                    List<String> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    private List<Object> json(List<RolloutTrigger> triggers) {
        return mapper.convertValue(triggers, new TypeReference<List<Object>>() {
        });
    }

    private FlagRecord record(FlagEntity e) {
        return new FlagRecord(e.flag, e.description, List.of(e.stages), e.stageIndex, e.status, triggers(e.triggers),
                e.version, e.createdAt, e.updatedAt);
    }

    private List<RolloutTrigger> triggers(String json) {
        try {
            return mapper.readValue(json, new TypeReference<List<RolloutTrigger>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("flags.triggers is not a JSON array of triggers", e);
        }
    }

    private FlagRecord map(Row r) {
        Integer[] stages = r.getArrayOfIntegers("stages");
        JsonArray triggers = (JsonArray) r.getValue("triggers");
        List<RolloutTrigger> parsed = mapper.convertValue(triggers.getList(), new TypeReference<List<RolloutTrigger>>() {
        });
        return new FlagRecord(r.getString("flag"), r.getString("description"), List.of(stages),
                r.getInteger("stage_index"), FlagStatus.valueOf(r.getString("status")), parsed, r.getLong("version"),
                AgentRepository.instant(r, "created_at"), AgentRepository.instant(r, "updated_at"));
    }

    private static FlagChange change(Row r) {
        return new FlagChange(r.getLong(0), r.getString(1), r.getInteger(2), r.getInteger(3), r.getString(4),
                r.getString(5), AgentRepository.instant(r, "changed_at"));
    }
}

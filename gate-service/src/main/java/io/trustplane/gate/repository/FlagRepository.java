package io.trustplane.gate.repository;

import io.trustplane.common.idempotency.IdempotentTransactions;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.domain.FlagStatus;
import io.trustplane.gate.domain.RolloutTrigger;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** SQL for rollout flags and their stage history; every change locks the flag row. */
@ApplicationScoped
public class FlagRepository {

    private static final String COLUMNS = "flag, description, stages, stage_index, status, triggers, version, "
            + "created_at, updated_at";

    private final Pool pool;
    private final IdempotentTransactions transactions;
    private final ObjectMapper mapper;

    public FlagRepository(Pool pool, ObjectMapper mapper, IdempotentTransactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
        this.mapper = mapper;
    }

    /** A stored flag. */
    public record FlagRecord(String flag, String description, List<Integer> stages, int stageIndex, FlagStatus status,
            List<RolloutTrigger> triggers, long version, Instant createdAt, Instant updatedAt) {

        /** The share of agents currently in the cohort. */
        public int percent() {
            return switch (status) {
                case ROLLED_BACK -> 0;
                default -> stages.get(stageIndex);
            };
        }

        public RolloutTrigger activeTrigger() {
            return status == FlagStatus.ROLLED_BACK ? null : triggers.get(stageIndex);
        }
    }

    /** One stage change. */
    public record FlagChange(long id, String action, int fromPercent, int toPercent, String reason, String actor,
            Instant changedAt) {
    }

    /** A transition: the flag after it and the change recorded. */
    public record Transition(FlagRecord flag, FlagChange change) {
    }

    public Uni<FlagRecord> find(String flag) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM flags WHERE flag = $1").execute(Tuple.of(flag))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<List<FlagRecord>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM flags ORDER BY flag").execute().map(rows -> {
            List<FlagRecord> out = new ArrayList<>();
            rows.forEach(r -> out.add(map(r)));
            return out;
        });
    }

    public Uni<List<FlagChange>> history(String flag) {
        return pool.preparedQuery("SELECT id, action, from_percent, to_percent, reason, actor, changed_at "
                        + "FROM flag_history WHERE flag = $1 ORDER BY id").execute(Tuple.of(flag))
                .map(rows -> {
                    List<FlagChange> out = new ArrayList<>();
                    rows.forEach(r -> out.add(change(r)));
                    return out;
                });
    }

    /** Creates a flag at its first stage; a second create of the same name is a 409. */
    public Uni<Transition> create(String flag, String description, List<Integer> stages, List<RolloutTrigger> triggers,
            String actor, InTransaction<Transition> inTx) {
        return transactions.withTransaction(pool, conn -> conn
                .preparedQuery("INSERT INTO flags (flag, description, stages, status, triggers) VALUES ($1, $2, $3, "
                        + "'ACTIVE', $4) ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.of(flag, description, stages.toArray(Integer[]::new), new JsonArray(json(triggers))))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ProblemException.conflict("flag_exists",
                                "flag '" + flag + "' already exists"));
                    }
                    FlagRecord f = map(rows.iterator().next());
                    return record(conn, f, "CREATED", 0, f.percent(), null, actor);
                }).call(t -> inTx.apply(conn, t)));
    }

    /**
     * Applies {@code change} to the locked flag; it returns the new (stageIndex, status) or throws a problem.
     */
    public Uni<Transition> transition(String flag, String action, String reason, String actor,
            Function<FlagRecord, FlagRecord> change, InTransaction<Transition> inTx) {
        return transactions.withTransaction(pool, conn -> conn
                .preparedQuery("SELECT " + COLUMNS + " FROM flags WHERE flag = $1 FOR UPDATE").execute(Tuple.of(flag))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ProblemException.notFound("flag", flag));
                    }
                    FlagRecord before = map(rows.iterator().next());
                    FlagRecord wanted = change.apply(before);
                    return conn.preparedQuery("UPDATE flags SET stage_index = $2, status = $3, version = version + 1, "
                                    + "updated_at = now() WHERE flag = $1 RETURNING " + COLUMNS)
                            .execute(Tuple.of(flag, wanted.stageIndex(), wanted.status().name()))
                            .flatMap(updated -> {
                                FlagRecord after = map(updated.iterator().next());
                                return record(conn, after, action, before.percent(), after.percent(), reason, actor);
                            });
                }).call(t -> inTx.apply(conn, t)));
    }

    private Uni<Transition> record(SqlConnection conn, FlagRecord f, String action, int from, int to, String reason,
            String actor) {
        return conn.preparedQuery("INSERT INTO flag_history (flag, action, from_percent, to_percent, reason, actor) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, action, from_percent, to_percent, reason, actor, "
                        + "changed_at")
                .execute(Tuple.from(Arrays.asList(f.flag(), action, from, to, reason, actor)))
                .map(rows -> new Transition(f, change(rows.iterator().next())));
    }

    private List<Object> json(List<RolloutTrigger> triggers) {
        return mapper.convertValue(triggers, new TypeReference<List<Object>>() {
        });
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

package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.lease.domain.Phase;
import io.trustplane.lease.domain.Task;
import io.trustplane.lease.domain.TaskListing;
import io.trustplane.lease.domain.TaskQuery;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SQL for tasks and their current phase. */
@ApplicationScoped
public class TaskRepository {

    private static final String COLUMNS = "task_id, title, description, phase, created_by, version, created_at, updated_at";

    private final Pool pool;

    public TaskRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts a task; null when the id is taken. */
    public Uni<Task> insert(SqlClient conn, String taskId, String title, String description, String createdBy) {
        return conn.preparedQuery("INSERT INTO tasks (task_id, title, description, phase, created_by, version, created_at, "
                        + "updated_at) VALUES ($1, $2, $3, 'STRATEGIZE', $4, 0, clock_timestamp(), clock_timestamp()) "
                        + "ON CONFLICT (task_id) DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.of(taskId, title, description, createdBy))
                .map(TaskRepository::first);
    }

    public Uni<Task> find(String taskId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tasks WHERE task_id = $1")
                .execute(Tuple.of(taskId)).map(TaskRepository::first);
    }

    /**
     * One page of tasks in creation order after the cursor, each with the holder of its current phase's live lease.
     * The agent filter matches the creator or that holder.
     */
    public Uni<List<TaskListing>> list(TaskQuery q) {
        String sql = "SELECT t.task_id, t.title, t.description, t.phase, t.created_by, t.version, t.created_at, "
                + "t.updated_at, l.holder, GREATEST(0, floor(extract(epoch FROM (l.expires_at - clock_timestamp())) "
                + "* 1000))::bigint AS expires_in_ms FROM tasks t LEFT JOIN leases l ON l.task_id = t.task_id "
                + "AND l.phase = t.phase AND l.status = 'ACTIVE' AND l.expires_at > clock_timestamp() "
                + "WHERE ($1::text IS NULL OR t.created_by = $1 OR l.holder = $1) "
                + "AND ($2::text IS NULL OR t.phase = $2) "
                + "AND ($3::text IS NULL OR (l.holder IS NOT NULL) = ($3 = 'LEASED')) "
                + "AND ($4::timestamptz IS NULL OR t.updated_at >= $4) "
                + "AND ($5::timestamptz IS NULL OR (t.created_at, t.task_id) > ($5, $6)) "
                + "ORDER BY t.created_at, t.task_id LIMIT $7";
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(q.agent(),
                        q.phase() == null ? null : q.phase().name(), q.status() == null ? null : q.status().name(),
                        q.updatedSince() == null ? null : q.updatedSince().atOffset(ZoneOffset.UTC),
                        q.after() == null ? null : q.after().createdAt().atOffset(ZoneOffset.UTC),
                        q.after() == null ? null : q.after().id(), q.fetch())))
                .map(rows -> {
                    List<TaskListing> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new TaskListing(map(r), r.getString("holder"),
                                r.getString("holder") == null ? null : r.getLong("expires_in_ms")));
                    }
                    return out;
                });
    }

    private static Task first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        return map(rows.iterator().next());
    }

    /** A task row: these columns of {@code tasks}, as {@code tp_transition} answers them too. */
    static Task map(Row r) {
        return new Task(r.getString("task_id"), r.getString("title"), r.getString("description"),
                Phase.valueOf(r.getString("phase")), r.getString("created_by"), r.getLong("version"),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }
}

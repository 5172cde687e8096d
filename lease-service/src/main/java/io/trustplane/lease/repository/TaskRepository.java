package io.trustplane.lease.repository;

import io.smallrye.mutiny.Uni;
import io.trustplane.lease.service.Phase;
import io.trustplane.lease.service.Task;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

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

    public Uni<Task> lock(SqlClient conn, String taskId) {
        return conn.preparedQuery("SELECT " + COLUMNS + " FROM tasks WHERE task_id = $1 FOR UPDATE")
                .execute(Tuple.of(taskId)).map(TaskRepository::first);
    }

    public Uni<Task> movePhase(SqlClient conn, String taskId, Phase to) {
        return conn.preparedQuery("UPDATE tasks SET phase = $2, version = version + 1, updated_at = clock_timestamp() "
                        + "WHERE task_id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(taskId, to.name())).map(TaskRepository::first);
    }

    private static Task first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Task(r.getString("task_id"), r.getString("title"), r.getString("description"),
                Phase.valueOf(r.getString("phase")), r.getString("created_by"), r.getLong("version"),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
    }
}

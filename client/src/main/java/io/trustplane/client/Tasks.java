package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.Evidence;
import io.trustplane.client.Model.LedgerVerification;
import io.trustplane.client.Model.Task;
import io.trustplane.client.Model.Transition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tasks, their phase transitions and their ledger. */
public final class Tasks {

    private final TrustplaneClient.Core core;
    private final Duration deadline;

    Tasks(TrustplaneClient.Core core, Duration deadline) {
        this.core = core;
        this.deadline = deadline;
    }

    /** Creates a task in STRATEGIZE. */
    public Task create(String taskId, String title, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("taskId", taskId);
        body.put("title", title);
        if (description != null) {
            body.put("description", description);
        }
        return core.transport.call(Routes.TASK_CREATE, Routes.TASK_CREATE.path(), body, deadline, Task.class);
    }

    public Task get(String taskId) {
        return core.transport.call(Routes.TASK_GET, Routes.TASK_GET.expand(taskId), null, deadline, Task.class);
    }

    /**
     * Moves the task to {@code to} with {@code evidence}, presenting {@code fencingToken} (the current phase's
     * lease); the answer carries the lease handed to the new phase and its token.
     */
    public Transition transition(String taskId, Phase to, List<Evidence> evidence, long fencingToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to", to);
        body.put("evidence", evidence == null ? List.of() : evidence);
        body.put("fencingToken", fencingToken);
        return core.transport.call(Routes.TASK_TRANSITION, Routes.TASK_TRANSITION.expand(taskId), body, deadline,
                Transition.class);
    }

    /** The task's ledger export (JSON: {@code {taskId, entries[]}}). */
    public JsonNode ledger(String taskId) {
        return core.transport.call(Routes.TASK_LEDGER, Routes.TASK_LEDGER.expand(taskId), null, deadline, JsonNode.class);
    }

    /** Reads the task's ledger export and recomputes its hash chain here (the service's verdict is not used). */
    public Model.LocalLedgerCheck verifyLedgerLocally(String taskId) {
        return LedgerCheck.verify(ledger(taskId));
    }

    /** The service's check of the task's hash chain. */
    public LedgerVerification verifyLedger(String taskId) {
        return core.transport.call(Routes.TASK_LEDGER_VERIFY, Routes.TASK_LEDGER_VERIFY.expand(taskId), null, deadline,
                LedgerVerification.class);
    }

    /**
     * Acquires the lease on the task's current phase and returns a session that keeps it alive and threads its
     * fencing token through every transition.
     */
    public TaskSession session(String taskId, Integer ttlSeconds, LeaseListener listener) {
        Task task = get(taskId);
        LeaseHandle handle = new Leases(core, deadline).hold(taskId, task.phase(), ttlSeconds, listener);
        return new TaskSession(this, task, handle);
    }
}

package io.trustplane.client;

import io.trustplane.client.Model.Evidence;
import io.trustplane.client.Model.Task;
import io.trustplane.client.Model.Transition;

import java.util.List;

/**
 * One agent's work on one task: holds the current phase's lease (kept alive) and sends each transition with that
 * lease's fencing token, then follows the lease the service hands to the next phase. Closing releases the lease.
 */
public final class TaskSession implements AutoCloseable {

    private final Tasks tasks;
    private final LeaseHandle lease;
    private volatile Task task;

    TaskSession(Tasks tasks, Task task, LeaseHandle lease) {
        this.tasks = tasks;
        this.task = task;
        this.lease = lease;
    }

    public Task task() {
        return task;
    }

    public LeaseHandle lease() {
        return lease;
    }

    /** Moves to the next phase with {@code evidence}. */
    public Transition advance(Evidence... evidence) {
        return transition(task.phase().next(), List.of(evidence));
    }

    /** Moves to {@code to} (forward one step, or back) with {@code evidence}, under the current fencing token. */
    public Transition transition(Phase to, List<Evidence> evidence) {
        Transition t = tasks.transition(task.taskId(), to, evidence, lease.fencingToken());
        task = t.task();
        lease.adopt(t.lease());
        return t;
    }

    @Override
    public void close() {
        lease.close();
    }
}

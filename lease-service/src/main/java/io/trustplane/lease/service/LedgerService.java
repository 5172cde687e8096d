package io.trustplane.lease.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.repository.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** Reads, verifies and anchors the per-task ledgers. */
@ApplicationScoped
public class LedgerService {

    private final LedgerRepository ledger;
    private final TaskRepository tasks;
    private final EventPublisher events;

    public LedgerService(LedgerRepository ledger, TaskRepository tasks, EventPublisher events) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.events = events;
    }

    public Uni<List<LedgerEntry>> entries(String taskId) {
        return ledger.stored(taskId).chain(stored -> stored.isEmpty()
                ? requireTask(taskId).map(t -> List.<LedgerEntry>of())
                : Uni.createFrom().item(stored.stream().map(s -> LedgerRepository.export(taskId, s)).toList()));
    }

    public Uni<LedgerChain.Verification> verify(String taskId) {
        return ledger.stored(taskId).chain(stored -> stored.isEmpty()
                ? requireTask(taskId).map(t -> LedgerChain.verify(stored))
                : Uni.createFrom().item(LedgerChain.verify(stored)));
    }

    /** Sends an appended entry to tp:anchor so the provenance log anchors it; does not wait. */
    public void anchor(LedgerEntry e) {
        events.fire(Streams.ANCHOR, events.envelope("ledger.appended", e.actor(), Map.of("taskId", e.taskId(),
                "seq", e.seq(), "kind", e.kind(), "hash", e.hash(), "prevHash", e.prevHash())));
    }

    private Uni<Task> requireTask(String taskId) {
        return tasks.find(taskId).onItem().ifNull().failWith(() -> ProblemException.notFound("task", taskId));
    }
}

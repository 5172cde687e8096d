package io.trustplane.lease.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.repository.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Reads, verifies and anchors the per-task ledgers. */
@ApplicationScoped
public class LedgerService {

    private final LedgerRepository ledger;
    private final TaskRepository tasks;
    public LedgerService(LedgerRepository ledger, TaskRepository tasks) {
        this.ledger = ledger;
        this.tasks = tasks;
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

    /** The event anchoring an entry in the provenance log (tp:anchor), written in the entry's own transaction. */
    public static Outbox.Pending anchor(LedgerEntry e) {
        return Outbox.event(e.actor(), new DomainEvent.LedgerAppended(e.taskId(), e.seq(), e.kind(), e.hash(),
                e.prevHash()));
    }

    /** The anchors of prepared entries (a genesis entry written with the first entry included). */
    public static List<Outbox.Pending> anchors(List<LedgerRepository.Prepared> entries) {
        return entries.stream().map(p -> anchor(p.entry())).toList();
    }

    private Uni<Task> requireTask(String taskId) {
        return tasks.find(taskId).onItem().ifNull().failWith(() -> ProblemException.notFound("task", taskId));
    }
}

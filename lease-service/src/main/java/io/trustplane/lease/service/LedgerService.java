package io.trustplane.lease.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.client.ProvenanceClient;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.repository.TaskRepository;
import io.trustplane.lease.domain.LedgerAnchor;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import io.trustplane.lease.domain.LedgerChain;
import io.trustplane.lease.domain.LedgerEntry;
import io.trustplane.lease.domain.LedgerVerification;
import io.trustplane.lease.domain.Task;

/** Reads, verifies and anchors the per-task ledgers. */
@ApplicationScoped
public class LedgerService {

    /** The anchors lease-service submits carry its name as the verified submitter. */
    private static final String SUBMITTER = "lease-service";

    private final LedgerRepository ledger;
    private final TaskRepository tasks;
    private final ProvenanceClient provenance;

    public LedgerService(LedgerRepository ledger, TaskRepository tasks, ProvenanceClient provenance) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.provenance = provenance;
    }

    public Uni<List<LedgerEntry>> entries(String taskId) {
        return ledger.stored(taskId).chain(stored -> stored.isEmpty()
                ? requireTask(taskId).map(t -> List.<LedgerEntry>of())
                : Uni.createFrom().item(stored.stream().map(s -> LedgerRepository.export(taskId, s)).toList()));
    }

    /** The chain's verdict and, when provenance-service answers, whether each entry's anchor is there and genuine. */
    public Uni<LedgerVerification> verify(String taskId) {
        return ledger.stored(taskId).chain(stored -> (stored.isEmpty()
                ? requireTask(taskId).replaceWith(stored) : Uni.createFrom().item(stored))
                .chain(entries -> provenance.ledgerAnchors(taskId).map(anchors -> LedgerVerification.of(
                        LedgerChain.verify(entries), anchors.map(a -> statuses(entries, a)).orElse(null)))));
    }

    static List<LedgerVerification.EntryAnchor> statuses(List<LedgerChain.Stored> entries,
            List<LedgerAnchor> anchors) {
        List<LedgerVerification.EntryAnchor> out = new ArrayList<>(entries.size());
        for (LedgerChain.Stored e : entries) {
            List<LedgerAnchor> mine = anchors.stream().filter(a -> a.seq() == e.seq()).toList();
            LedgerVerification.AnchorStatus status = mine.isEmpty() ? LedgerVerification.AnchorStatus.MISSING
                    : mine.stream().anyMatch(a -> SUBMITTER.equals(a.submitter()) && e.hash().equals(a.hash()))
                    ? LedgerVerification.AnchorStatus.ANCHORED : LedgerVerification.AnchorStatus.NOT_GENUINE;
            out.add(new LedgerVerification.EntryAnchor(e.seq(), status));
        }
        return out;
    }

    /** The event anchoring an entry in the provenance log (tp:anchor), written in the entry's own transaction. */
    public static Outbox.Pending anchor(LedgerEntry e) {
        return Outbox.event(e.actor(), new DomainEvent.LedgerAppended(e.taskId(), e.seq(), e.kind(), e.hash(),
                e.prevHash()));
    }

    /** The anchors of prepared entries (a genesis entry written with the first entry included). */
    public static List<Outbox.Pending> anchors(List<LedgerChain.Prepared> entries) {
        return entries.stream().map(p -> anchor(p.entry())).toList();
    }

    private Uni<Task> requireTask(String taskId) {
        return tasks.find(taskId).onItem().ifNull().failWith(() -> ProblemException.notFound("task", taskId));
    }
}

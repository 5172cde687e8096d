package io.trustplane.lease.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.lease.client.ProvenanceClient;
import io.trustplane.lease.repository.LedgerRepository;
import io.trustplane.lease.repository.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads, verifies and anchors the per-task ledgers. */
@ApplicationScoped
public class LedgerService {

    /** The anchors lease-service submits carry its name as the verified submitter. */
    private static final String SUBMITTER = "lease-service";

    private final LedgerRepository ledger;
    private final TaskRepository tasks;
    private final EventPublisher events;
    private final ProvenanceClient provenance;

    public LedgerService(LedgerRepository ledger, TaskRepository tasks, EventPublisher events,
            ProvenanceClient provenance) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.events = events;
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
            List<ProvenanceClient.LedgerAnchor> anchors) {
        List<LedgerVerification.EntryAnchor> out = new ArrayList<>(entries.size());
        for (LedgerChain.Stored e : entries) {
            List<ProvenanceClient.LedgerAnchor> mine = anchors.stream().filter(a -> a.seq() == e.seq()).toList();
            LedgerVerification.AnchorStatus status = mine.isEmpty() ? LedgerVerification.AnchorStatus.MISSING
                    : mine.stream().anyMatch(a -> SUBMITTER.equals(a.submitter()) && e.hash().equals(a.hash()))
                    ? LedgerVerification.AnchorStatus.ANCHORED : LedgerVerification.AnchorStatus.NOT_GENUINE;
            out.add(new LedgerVerification.EntryAnchor(e.seq(), status));
        }
        return out;
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

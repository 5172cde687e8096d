package io.trustplane.provenance.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.UuidV7;
import io.trustplane.common.idempotency.IdempotentTransactions;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.LogRecord;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.domain.NewRecord;
import io.trustplane.provenance.domain.PageCursor;
import io.trustplane.provenance.domain.TreeHead;
import io.trustplane.provenance.repository.CosignatureRepository;
import io.trustplane.provenance.repository.LogRepository;
import io.trustplane.provenance.repository.RecordQuery;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Accepts records into the log and answers queries and proofs over it. */
@ApplicationScoped
public class ProvenanceService {

    private final LogRepository repository;
    private final Sequencer sequencer;
    private final NoteSigner signer;
    private final ProvenanceConfig config;
    private final Witnessing witnessing;
    private final CosignatureRepository cosignatures;
    private final IdempotentTransactions transactions;
    private final CheckpointNotes notes;

    public ProvenanceService(LogRepository repository, Sequencer sequencer, LogKey key, ProvenanceConfig config,
            Witnessing witnessing, CosignatureRepository cosignatures, IdempotentTransactions transactions,
            CheckpointNotes notes) {
        this.repository = repository;
        this.sequencer = sequencer;
        this.signer = key.signer();
        this.config = config;
        this.witnessing = witnessing;
        this.cosignatures = cosignatures;
        this.transactions = transactions;
        this.notes = notes;
    }

    /** The canonical JSON of {@code metadata}, refused (400 naming the field) above the configured size. */
    public String metadataJson(Map<String, Object> metadata) {
        byte[] canonical = LeafEncoder.canonical(metadata == null ? Map.of() : metadata);
        int max = config.records().maxMetadataBytes();
        if (canonical.length > max) {
            throw ProblemException.badRequest("metadata", "is " + canonical.length + " bytes as canonical JSON; at most "
                    + max + " allowed");
        }
        return new String(canonical, StandardCharsets.UTF_8);
    }

    /**
     * Queues the record durably, then completes once the sequencer has integrated and signed it. With a
     * {@code parentOwner}, the parent must be a record of that agent: a parent of someone else is refused exactly as
     * an unknown one, so the answer tells nobody whether another agent's id exists.
     * <p>
     * A retry under an {@code Idempotency-Key} whose first attempt queued a record but never stored its answer (the
     * process stopped, or the first answer was the 503 {@code not_yet_integrated}) creates nothing: it waits for that
     * record, the one the key was linked to when it was queued, and answers as the first attempt would have.
     */
    public Uni<LogRecord> create(String agentId, CreationType type, UUID parentId, String parentOwner,
            String contentHash, Map<String, Object> metadata) {
        String earlier = transactions.resumed();
        if (earlier != null) {
            UUID id = UUID.fromString(earlier);
            // it may be integrated already, and then the sequencer completes no waiter for it
            return awaitIntegrated(id, repository.findById(id).invoke(found -> found.ifPresent(
                    r -> sequencer.waiters().complete(List.of(r)))).replaceWithVoid());
        }
        NewRecord record = new NewRecord(UuidV7.next(), agentId, type, parentId, contentHash, metadataJson(metadata));
        return awaitIntegrated(record.id(), repository.insertPending(record, parentOwner));
    }

    /**
     * Runs {@code queued} (the insert, or the resumed record's lookup) with a waiter for record {@code id} already
     * registered, and answers once that record is integrated.
     */
    private Uni<LogRecord> awaitIntegrated(UUID id, Uni<Void> queued) {
        CompletableFuture<LogRecord> done = sequencer.waiters().register(id);
        Context context = Vertx.currentContext();
        return queued
                .invoke(sequencer::signal)
                .chain(() -> Uni.createFrom().completionStage(done))
                .ifNoItem().after(config.sequencer().awaitTimeout())
                .failWith(() -> ProblemException.unavailable("not_yet_integrated", "record " + id
                        + " is queued but not yet in a signed checkpoint; fetch it later")
                        .with("id", id.toString()))
                // the sequencer thread completes the future: answer on the request's own event loop
                .emitOn(task -> {
                    if (context != null) {
                        context.runOnContext(v -> task.run());
                    } else {
                        task.run();
                    }
                })
                .onTermination().invoke(() -> sequencer.waiters().forget(id));
    }

    public Uni<LogRecord> get(UUID id) {
        return repository.findById(id).map(found -> found.orElseThrow(
                () -> ProblemException.notFound("provenance record", id.toString())));
    }

    public Uni<List<LogRecord>> lineage(UUID id) {
        return repository.lineage(id, config.records().maxLineage()).map(chain -> {
            if (chain.isEmpty()) {
                throw ProblemException.notFound("provenance record", id.toString());
            }
            return chain;
        });
    }

    /**
     * A page plus the cursor of the next one (null on the last page) and a signed checkpoint whose tree includes
     * every record of the page (null when the page is empty). Each record still names, by its tree size, the
     * checkpoint that first included it.
     */
    public record Page(List<LogRecord> items, String nextCursor, String checkpoint) {
    }

    public Uni<Page> list(String agentId, CreationType type, Instant from, Instant to, String cursor, Integer limit) {
        int size = limit == null ? config.records().defaultLimit() : limit;
        if (size < 1 || size > config.records().maxLimit()) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + config.records().maxLimit());
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        PageCursor after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
        return repository.page(new RecordQuery(agentId, type, from, to, after, size + 1)).chain(rows -> {
            List<LogRecord> items = rows.size() <= size ? rows : rows.subList(0, size);
            LogRecord last = items.isEmpty() ? null : items.get(items.size() - 1);
            String next = rows.size() <= size ? null : new PageCursor(last.createdAt(), last.leafIndex()).encode();
            // the checkpoint of the largest tree size among the page's records includes every one of them
            long largest = items.stream().mapToLong(LogRecord::checkpointSize).max().orElse(0);
            if (largest == 0) {
                return Uni.createFrom().item(new Page(items, next, null));
            }
            return notes.at(largest).map(note -> new Page(items, next, note.orElseThrow(() -> new IllegalStateException(
                    "no checkpoint of size " + largest + " although records name it"))));
        });
    }

    /** The latest signed checkpoint (the empty tree's is signed on demand: Ed25519 is deterministic). */
    public Uni<TreeHead> head() {
        return repository.head().map(h -> h.note() != null ? h
                : new TreeHead(h.size(), h.root(), sequencer.sign(h.size(), h.root())));
    }

    /**
     * The checkpoint clients fetch: the latest one with the cosignatures witnesses have returned for it, or with
     * {@code finalOnly} the latest one that the witness policy counts as final.
     */
    public Uni<String> publishedCheckpoint(boolean finalOnly) {
        if (finalOnly && witnessing.quorum() > 0) {
            return cosignatures.latestFinal(witnessing.names(), witnessing.quorum()).map(note -> note.orElseThrow(() ->
                    ProblemException.notFound("final checkpoint", "cosigned by " + witnessing.quorum()
                            + " witnesses")));
        }
        if (!witnessing.enabled()) {
            return head().map(TreeHead::note);
        }
        return cosignatures.latest(witnessing.names()).chain(note -> note.isPresent()
                ? Uni.createFrom().item(note.get())
                : head().map(TreeHead::note));
    }

    /** The signed note of the checkpoint published at exactly {@code size}. */
    public Uni<String> checkpointAt(long size) {
        return notes.at(size).map(note -> note.orElseThrow(() ->
                ProblemException.notFound("checkpoint of size", Long.toString(size))));
    }

    public String verifierKey() {
        return signer.verifierKey();
    }

    /** An inclusion proof of the record's leaf in the tree of {@code treeSize} (default: the current tree). */
    public record Inclusion(LogRecord record, long treeSize, byte[] root, List<byte[]> hashes, String checkpoint) {
    }

    public Uni<Inclusion> inclusion(UUID id, Long treeSize) {
        return get(id).chain(record -> head().chain(head -> {
            long n = treeSize == null ? head.size() : treeSize;
            if (n <= record.leafIndex() || n > head.size()) {
                throw ProblemException.badRequest("treeSize", "must be greater than the leaf index "
                        + record.leafIndex() + " and at most the current tree size " + head.size());
            }
            var wanted = Merkle.nodesFor(src -> {
                Merkle.inclusionProof(record.leafIndex(), n, src);
                Merkle.root(n, src);
            });
            return repository.nodes(wanted).chain(nodes -> notes.at(n).map(note -> {
                Merkle.NodeSource src = Merkle.fromMap(nodes);
                return new Inclusion(record, n, Merkle.root(n, src), Merkle.inclusionProof(record.leafIndex(), n, src),
                        note.orElse(null));
            }));
        }));
    }

    /** A consistency proof between two tree sizes. */
    public record Consistency(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> hashes) {
    }

    public Uni<Consistency> consistency(long from, Long to) {
        return head().chain(head -> {
            long n = to == null ? head.size() : to;
            if (n > head.size()) {
                throw ProblemException.badRequest("to", "must be at most the current tree size " + head.size());
            }
            if (from < 0 || from > n) {
                throw ProblemException.badRequest("from", "must be between 0 and " + n);
            }
            var wanted = Merkle.nodesFor(src -> {
                Merkle.consistencyProof(from, n, src);
                Merkle.root(from, src);
                Merkle.root(n, src);
            });
            return repository.nodes(wanted).map(nodes -> {
                Merkle.NodeSource src = Merkle.fromMap(nodes);
                return new Consistency(from, n, Merkle.root(from, src), Merkle.root(n, src),
                        Merkle.consistencyProof(from, n, src));
            });
        });
    }
}

package io.trustplane.lease.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's hash chain rules: {@code hash = SHA-256(body || prevHash)}, the genesis entry (seq 0) links to
 * {@link #GENESIS_PREV}, and each later entry links to the stored hash of the entry before it.
 */
public final class LedgerChain {

    public static final String GENESIS_PREV = "0".repeat(64);
    /** The kind of a task's first entry (seq 0). */
    public static final String GENESIS = "GENESIS";

    private LedgerChain() {
    }

    public static String hash(String body, String prevHash) {
        return Canonical.sha256(body + prevHash);
    }

    /** The end of a task's chain as read under its lock, with the time the next entry is stamped with. */
    public record Tail(String taskId, String now, Long seq, String hash) {
    }

    /** An entry ready to insert: the entry and its canonical body, hashed. */
    public record Prepared(LedgerEntry entry, String body) {
    }

    /**
     * The entries that appending one after {@code tail} writes, hashed but not yet stored: the entry, preceded by the
     * genesis entry when the task has none. Known before the INSERT is sent, so events describing them (anchors)
     * can go out in the same pipelined step.
     */
    public static List<Prepared> prepare(Tail tail, String kind, String actor, Map<String, Object> data) {
        String taskId = tail.taskId();
        if (tail.seq() == null && !GENESIS.equals(kind)) {
            Prepared genesis = prepare(taskId, 0, GENESIS, actor, tail.now(), Map.of("taskId", taskId), GENESIS_PREV);
            return List.of(genesis, prepare(taskId, 1, kind, actor, tail.now(), data, genesis.entry().hash()));
        }
        long seq = tail.seq() == null ? 0 : tail.seq() + 1;
        String prev = tail.seq() == null ? GENESIS_PREV : tail.hash();
        return List.of(prepare(taskId, seq, kind, actor, tail.now(), data, prev));
    }

    private static Prepared prepare(String taskId, long seq, String kind, String actor, String time,
            Map<String, Object> data, String prev) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", seq);
        body.put("taskId", taskId);
        body.put("kind", kind);
        body.put("actor", actor);
        body.put("time", time);
        body.put("data", data);
        String json = Canonical.json(body);
        return new Prepared(new LedgerEntry(seq, taskId, kind, actor, time, data, prev, hash(json, prev)), json);
    }

    /** One stored entry as read back for verification. */
    public record Stored(long seq, String body, String prevHash, String hash) {
    }

    /**
     * Verification outcome: {@code brokenChainAt} is the first sequence number where the links fail (a missing
     * entry or a prevHash that does not match), {@code tamperedEntries} the entries whose content no longer
     * matches their own hash.
     */
    public record Verification(boolean valid, Long brokenChainAt, List<Long> tamperedEntries, int entries) {
    }

    /** Checks entries given in ascending seq order. */
    public static Verification verify(List<Stored> entries) {
        String prev = GENESIS_PREV;
        long expectedSeq = 0;
        Long broken = null;
        List<Long> tampered = new ArrayList<>();
        if (entries.isEmpty()) {
            broken = 0L;
        }
        for (Stored e : entries) {
            if (broken == null && e.seq() != expectedSeq) {
                broken = expectedSeq;
            }
            if (broken == null && !e.prevHash().equals(prev)) {
                broken = e.seq();
            }
            if (!hash(e.body(), e.prevHash()).equals(e.hash())) {
                tampered.add(e.seq());
            }
            prev = e.hash();
            expectedSeq = e.seq() + 1;
        }
        return new Verification(broken == null && tampered.isEmpty(), broken, List.copyOf(tampered), entries.size());
    }
}

package io.trustplane.lease.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's hash chain rules: {@code hash = SHA-256(body || prevHash)}, the genesis entry (seq 0) links to
 * {@link #GENESIS_PREV}, and each later entry links to the stored hash of the entry before it.
 */
public final class LedgerChain {

    public static final String GENESIS_PREV = "0".repeat(64);

    private LedgerChain() {
    }

    public static String hash(String body, String prevHash) {
        return Canonical.sha256(body + prevHash);
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

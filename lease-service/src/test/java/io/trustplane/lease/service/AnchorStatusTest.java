package io.trustplane.lease.service;

import io.trustplane.lease.domain.LedgerAnchor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import io.trustplane.lease.domain.LedgerChain;
import io.trustplane.lease.domain.LedgerVerification;

/** Per-entry anchor verdicts of a ledger verify, from the anchors provenance-service's signed leaves state. */
class AnchorStatusTest {

    @Test
    void anEntryIsAnchoredOnlyByALeaseServiceLeafWithItsHash() {
        List<LedgerChain.Stored> entries = List.of(new LedgerChain.Stored(0, "{}", "p", "h0"),
                new LedgerChain.Stored(1, "{}", "h0", "h1"), new LedgerChain.Stored(2, "{}", "h1", "h2"),
                new LedgerChain.Stored(3, "{}", "h2", "h3"));
        List<LedgerAnchor> anchors = List.of(new LedgerAnchor(0, "h0", "lease-service"),
                new LedgerAnchor(1, "other", "lease-service"), // contradicts the stored hash
                new LedgerAnchor(2, "h2", "gate-service")); // right hash, wrong submitter
        assertThat(LedgerService.statuses(entries, anchors)).extracting(LedgerVerification.EntryAnchor::status)
                .containsExactly(LedgerVerification.AnchorStatus.ANCHORED, LedgerVerification.AnchorStatus.NOT_GENUINE,
                        LedgerVerification.AnchorStatus.NOT_GENUINE, LedgerVerification.AnchorStatus.MISSING);
    }
}

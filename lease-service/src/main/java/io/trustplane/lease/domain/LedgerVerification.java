package io.trustplane.lease.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A ledger verify: the chain's verdict ({@link LedgerChain.Verification}) and, when provenance-service answered
 * ({@code anchorsChecked}), each entry's anchor: ANCHORED (a leaf submitted by lease-service with the entry's hash),
 * NOT_GENUINE (leaves for the entry, none from lease-service with its hash), MISSING (none yet).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerVerification(boolean valid, Long brokenChainAt, List<Long> tamperedEntries, int entries,
        boolean anchorsChecked, List<EntryAnchor> anchors) {

    /** How the log anchors one entry. */
    public enum AnchorStatus { ANCHORED, NOT_GENUINE, MISSING }

    /** One entry's anchor status. */
    public record EntryAnchor(long seq, AnchorStatus status) {
    }

    public static LedgerVerification of(LedgerChain.Verification chain, List<EntryAnchor> anchors) {
        return new LedgerVerification(chain.valid(), chain.brokenChainAt(), chain.tamperedEntries(), chain.entries(),
                anchors != null, anchors);
    }
}

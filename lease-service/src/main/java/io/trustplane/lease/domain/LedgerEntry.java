package io.trustplane.lease.domain;

import java.util.Map;

/** One ledger entry as exported: the hashed body's members plus its place in the chain. */
public record LedgerEntry(long seq, String taskId, String kind, String actor, String time, Map<String, Object> data,
        String prevHash, String hash) {
}

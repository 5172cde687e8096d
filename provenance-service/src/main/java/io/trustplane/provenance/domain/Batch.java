package io.trustplane.provenance.domain;

import java.util.List;

/** One integrated batch: its records (in leaf order), the new tree size and root, and the signed checkpoint. */
public record Batch(List<LogRecord> records, long treeSize, byte[] root, String checkpoint) {

    public static final Batch EMPTY = new Batch(List.of(), -1, null, null);

    public boolean isEmpty() {
        return records.isEmpty();
    }
}

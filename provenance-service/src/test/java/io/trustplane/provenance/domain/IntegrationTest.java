package io.trustplane.provenance.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.trustplane.testing.log.Rfc9162;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sequencer's integration step against the independent RFC 9162 reference in {@code testing}: two batches (3, then
 * 4 records) give the leaf indexes, leaf hashes and roots of MTH over all seven leaves, and every record carries the
 * one checkpoint signed for its batch.
 */
class IntegrationTest {

    private static final Instant SUBMITTED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:01Z");

    private static PendingRecord pending(long seq) {
        return new PendingRecord(seq, new NewRecord(new UUID(0, seq), "agent-" + seq, CreationType.FRESH, null, null,
                "{}"), SUBMITTED, null);
    }

    private static byte[] leafOf(NewRecord r) {
        return ("leaf " + r.id()).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoBatchesGiveTheReferenceRootsAndOneCheckpointPerBatch() {
        Map<Merkle.Node, byte[]> stored = new HashMap<>();
        List<byte[]> all = new ArrayList<>();
        long size = 0;
        long seq = 1;
        for (int batchSize : new int[] {3, 4}) {
            List<PendingRecord> pending = new ArrayList<>();
            for (int i = 0; i < batchSize; i++) {
                pending.add(pending(seq++));
            }
            Map<Merkle.Node, byte[]> frontier = new HashMap<>();
            Merkle.frontier(size).forEach(n -> frontier.put(n, stored.get(n)));
            Integration.Step step = Integration.integrate(new LockedHead(size, NOW), frontier, pending,
                    (r, submittedAt, createdAt) -> leafOf(r), (s, root) -> "checkpoint " + s);
            stored.putAll(step.nodes());
            pending.forEach(p -> all.add(leafOf(p.record())));
            size += batchSize;

            Batch batch = step.batch();
            assertThat(batch.treeSize()).isEqualTo(size);
            assertThat(batch.root()).isEqualTo(Rfc9162.mth(all));
            assertThat(batch.checkpoint()).isEqualTo("checkpoint " + size);
            assertThat(step.seqs()).isEqualTo(pending.stream().map(PendingRecord::seq).toList());
            for (int i = 0; i < batchSize; i++) {
                LogRecord r = batch.records().get(i);
                assertThat(r.leafIndex()).isEqualTo(size - batchSize + i);
                assertThat(r.leafHash()).isEqualTo(Rfc9162.leaf(all.get((int) r.leafIndex())));
                assertThat(r.createdAt()).isEqualTo(NOW);
                assertThat(r.submittedAt()).isEqualTo(SUBMITTED);
                assertThat(r.checkpointSize()).isEqualTo(size);
                assertThat(r.checkpoint()).isEqualTo("checkpoint " + size);
            }
        }
    }
}

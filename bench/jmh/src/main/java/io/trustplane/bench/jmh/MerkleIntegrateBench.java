package io.trustplane.bench.jmh;

import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.domain.NewRecord;
import io.trustplane.provenance.service.LeafEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One sequencer batch, in-process part (SequencerRepository.integrate between reading the pending rows and the
 * frontier and storing the result): each record's RFC 8785 leaf and leaf hash, then Merkle.append of the batch
 * onto a tree of {@code treeSize} leaves, which yields the completed subtrees and the new root. Signing the
 * checkpoint is measured on its own in {@link CheckpointBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MerkleIntegrateBench {

    @Param({"1", "64", "256"})
    public int batch;

    @Param({"1000000"})
    public long treeSize;

    private Map<Merkle.Node, byte[]> frontier;
    private List<NewRecord> pending;
    private Instant submitted;
    private Instant now;

    @Setup
    public void setup() {
        SyntheticTree tree = SyntheticTree.build(treeSize);
        frontier = new LinkedHashMap<>();
        for (Merkle.Node n : Merkle.frontier(treeSize)) {
            frontier.put(n, tree.hash(n));
        }
        Random random = new Random(6962);
        pending = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            boolean evolved = i % 3 == 0;
            pending.add(new NewRecord(new UUID(random.nextLong(), random.nextLong()), "agent-impl-" + (i % 97),
                    evolved ? CreationType.EVOLVED : CreationType.FRESH,
                    evolved ? new UUID(random.nextLong(), random.nextLong()) : null,
                    String.format("%064x", random.nextLong()),
                    "{\"model\":\"model-2026-03\",\"task\":\"" + Fixtures.TASK_ID + "\",\"phase\":\"IMPLEMENT\","
                            + "\"tools\":[\"git\",\"mvn\"],\"tokens\":" + (1000 + i) + "}"));
        }
        submitted = Instant.parse("2026-04-12T09:31:07.100Z");
        now = Instant.parse("2026-04-12T09:31:07.112Z");
    }

    @Benchmark
    public Merkle.Appended integrateBatch() {
        List<byte[]> leafHashes = new ArrayList<>(pending.size());
        for (NewRecord r : pending) {
            byte[] leaf = LeafEncoder.encode(r.id(), r.agentId(), r.creationType(), r.parentId(), r.contentHash(),
                    r.metadataJson(), submitted, now);
            leafHashes.add(Merkle.leafHash(leaf));
        }
        return Merkle.append(treeSize, frontier, leafHashes);
    }
}

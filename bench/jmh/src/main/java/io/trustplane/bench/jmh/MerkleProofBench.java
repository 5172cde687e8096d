package io.trustplane.bench.jmh;

import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.service.ProvenanceService;
import io.trustplane.verifier.Rfc9162Proofs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Inclusion proofs in a tree of {@code treeSize} leaves, for leaves drawn at random. {@code prove}: what
 * ProvenanceService.inclusion computes (which nodes it needs, then root and audit path from the fetched
 * nodes; the fetch itself is an in-memory copy here). {@code verify}: what a client does with the answer
 * (the verifier module's RFC 9162 2.1.3.2).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MerkleProofBench {

    private static final int LEAVES = 1024;

    @Param({"1000000"})
    public long treeSize;

    private SyntheticTree tree;
    private long[] leafIndex;
    private byte[][] leafHash;
    private List<byte[]>[] path;
    private byte[] root;
    private int next;

    @Setup
    @SuppressWarnings("unchecked")
    public void setup() {
        tree = SyntheticTree.build(treeSize);
        Random random = new Random(9162);
        leafIndex = new long[LEAVES];
        leafHash = new byte[LEAVES][];
        path = new List[LEAVES];
        for (int i = 0; i < LEAVES; i++) {
            leafIndex[i] = Math.floorMod(random.nextLong(), treeSize);
            leafHash[i] = Merkle.leafHash(SyntheticTree.leaf(leafIndex[i]));
            path[i] = inclusion(leafIndex[i]).hashes();
        }
        root = inclusion(0).root();
    }

    @Benchmark
    public ProvenanceService.Inclusion prove() {
        next = (next + 1) % LEAVES;
        return inclusion(leafIndex[next]);
    }

    @Benchmark
    public boolean verify() {
        next = (next + 1) % LEAVES;
        return Rfc9162Proofs.verifyInclusion(leafIndex[next], treeSize, leafHash[next], path[next], root);
    }

    private ProvenanceService.Inclusion inclusion(long m) {
        long n = treeSize;
        Set<Merkle.Node> wanted = Merkle.nodesFor(src -> {
            Merkle.inclusionProof(m, n, src);
            Merkle.root(n, src);
        });
        Merkle.NodeSource src = Merkle.fromMap(tree.fetch(wanted));
        return new ProvenanceService.Inclusion(null, n, Merkle.root(n, src), Merkle.inclusionProof(m, n, src), null);
    }
}

package io.trustplane.provenance.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.trustplane.testing.log.Rfc6962Vectors;
import io.trustplane.testing.log.Rfc9162;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The production tree (stored perfect subtrees, batched appends) checked against the independent RFC reference. */
class MerkleTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void emptyTreeIsSha256OfNothing() {
        assertThat(HEX.formatHex(Merkle.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Merkle.root(0, n -> {
            throw new AssertionError("the empty tree reads no node");
        })).isEqualTo(Rfc9162.mth(List.of()));
    }

    @Test
    void rfc6962ReferenceVectors() {
        Map<Merkle.Node, byte[]> store = new HashMap<>();
        long size = 0;
        List<byte[]> leaves = Rfc6962Vectors.leaves();
        for (int i = 0; i < leaves.size(); i++) {
            size = append(store, size, List.of(Merkle.leafHash(leaves.get(i))));
            assertThat(HEX.formatHex(Merkle.root(size, Merkle.fromMap(store)))).as("root of size %d", size)
                    .isEqualTo(Rfc6962Vectors.ROOTS.get(i));
        }
        // the reference implementation's audit path of leaf 0 in the tree of 8
        assertThat(Merkle.inclusionProof(0, 8, Merkle.fromMap(store)).stream().map(HEX::formatHex).toList())
                .containsExactly("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void everyRootInclusionAndConsistencyProofUpTo64VerifiesIndependently() {
        List<byte[]> data = new ArrayList<>();
        Map<Merkle.Node, byte[]> store = new HashMap<>();
        Random random = new Random(6962);
        long size = 0;
        List<byte[]> roots = new ArrayList<>();
        roots.add(Rfc9162.mth(List.of()));
        while (size < 64) {
            // random batch boundaries exercise the batched append path
            int batch = (int) Math.min(64 - size, 1 + random.nextInt(5));
            List<byte[]> hashes = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                byte[] d = ("leaf-" + (size + i)).getBytes(StandardCharsets.UTF_8);
                data.add(d);
                hashes.add(Merkle.leafHash(d));
            }
            size = append(store, size, hashes);
        }
        Merkle.NodeSource source = Merkle.fromMap(store);
        for (int n = 1; n <= 64; n++) {
            byte[] expected = Rfc9162.mth(data.subList(0, n));
            assertThat(Merkle.root(n, source)).as("root %d", n).isEqualTo(expected);
            roots.add(expected);
        }
        for (int n = 1; n <= 64; n++) {
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = Merkle.inclusionProof(m, n, source);
                assertThat(Rfc9162.verifyInclusion(m, n, Rfc9162.leaf(data.get(m)), proof, roots.get(n)))
                        .as("inclusion of %d in %d", m, n).isTrue();
                // a proof for the wrong leaf must not verify
                assertThat(Rfc9162.verifyInclusion(m, n, Rfc9162.leaf("x".getBytes()), proof, roots.get(n))).isFalse();
                int finalM = m;
                int finalN = n;
                Set<Merkle.Node> read = Merkle.nodesFor(s -> Merkle.inclusionProof(finalM, finalN, s));
                assertThat(read.size()).as("nodes read").isLessThanOrEqualTo(2 * log2(n) + 1);
            }
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = Merkle.consistencyProof(m, n, source);
                assertThat(Rfc9162.verifyConsistency(m, n, roots.get(m), roots.get(n), proof))
                        .as("consistency %d -> %d", m, n).isTrue();
                if (m < n) {
                    assertThat(Rfc9162.verifyConsistency(m, n, roots.get(m), roots.get(m), proof)).isFalse();
                }
                int finalM = m;
                int finalN = n;
                Set<Merkle.Node> read = Merkle.nodesFor(s -> Merkle.consistencyProof(finalM, finalN, s));
                assertThat(read.size()).as("nodes read").isLessThanOrEqualTo(2 * log2(n) + 2);
            }
        }
    }

    private static long append(Map<Merkle.Node, byte[]> store, long size, List<byte[]> leafHashes) {
        Map<Merkle.Node, byte[]> frontier = new HashMap<>();
        for (Merkle.Node node : Merkle.frontier(size)) {
            frontier.put(node, store.get(node));
        }
        Merkle.Appended appended = Merkle.append(size, frontier, leafHashes);
        for (Merkle.Node node : appended.nodes().keySet()) {
            assertThat(store).as("perfect subtrees are written once").doesNotContainKey(node);
        }
        store.putAll(appended.nodes());
        return appended.size();
    }

    private static int log2(int n) {
        return 32 - Integer.numberOfLeadingZeros(n);
    }
}

package io.trustplane.testing.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference itself against the published RFC 6962 test tree (its roots and the CT reference implementation's
 * audit path of leaf 0 in the tree of 8), and its verifiers against its own PATH and PROOF: every proof up to 40
 * leaves verifies, and a proof with one entry changed, missing or extra, for another leaf or against another root,
 * does not.
 */
class Rfc9162Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void publishedRootsAndAuditPath() {
        List<byte[]> leaves = Rfc6962Vectors.leaves();
        assertThat(HEX.formatHex(Rfc9162.mth(List.of())))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int n = 1; n <= leaves.size(); n++) {
            assertThat(HEX.formatHex(Rfc9162.mth(leaves.subList(0, n)))).isEqualTo(Rfc6962Vectors.ROOTS.get(n - 1));
        }
        assertThat(Rfc9162.path(0, leaves).stream().map(HEX::formatHex).toList())
                .containsExactly("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void everyProofUpTo40LeavesVerifiesAndNoAlteredOneDoes() {
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            leaves.add(("leaf-" + n).getBytes());
            byte[] root = Rfc9162.mth(leaves);
            byte[] otherRoot = Rfc9162.leaf(new byte[] {7});
            for (int m = 0; m < n; m++) {
                byte[] leaf = Rfc9162.leaf(leaves.get(m));
                List<byte[]> path = Rfc9162.path(m, leaves);
                assertThat(Rfc9162.verifyInclusion(m, n, leaf, path, root)).as("inclusion %d in %d", m, n).isTrue();
                assertThat(Rfc9162.verifyInclusion(m, n, leaf, path, otherRoot)).isFalse();
                if (n > 1) {
                    assertThat(Rfc9162.verifyInclusion((m + 1) % n, n, leaf, path, root)).isFalse();
                }
                for (List<byte[]> altered : altered(path)) {
                    assertThat(Rfc9162.verifyInclusion(m, n, leaf, altered, root)).isFalse();
                }
            }
            for (int m = 1; m < n; m++) {
                byte[] old = Rfc9162.mth(leaves.subList(0, m));
                List<byte[]> proof = Rfc9162.proof(m, leaves);
                assertThat(Rfc9162.verifyConsistency(m, n, old, root, proof)).as("consistency %d to %d", m, n).isTrue();
                assertThat(Rfc9162.verifyConsistency(m, n, otherRoot, root, proof)).isFalse();
                assertThat(Rfc9162.verifyConsistency(m, n, old, otherRoot, proof)).isFalse();
                for (List<byte[]> altered : altered(proof)) {
                    assertThat(Rfc9162.verifyConsistency(m, n, old, root, altered)).isFalse();
                }
            }
            assertThat(Rfc9162.verifyConsistency(n, n, root, root, List.of())).isTrue();
            assertThat(Rfc9162.verifyConsistency(n, n, root, otherRoot, List.of())).isFalse();
            assertThat(Rfc9162.verifyConsistency(0, n, Rfc9162.mth(List.of()), root, List.of())).isFalse();
        }
    }

    /** The proof with each entry flipped in turn, without its first or last entry, and with one more. */
    private static List<List<byte[]>> altered(List<byte[]> proof) {
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            List<byte[]> copy = new ArrayList<>(proof);
            byte[] h = copy.get(i).clone();
            h[0] ^= 1;
            copy.set(i, h);
            out.add(copy);
        }
        if (!proof.isEmpty()) {
            out.add(proof.subList(1, proof.size()));
            out.add(proof.subList(0, proof.size() - 1));
        }
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(Rfc9162.leaf(new byte[] {1}));
        out.add(longer);
        return out;
    }
}

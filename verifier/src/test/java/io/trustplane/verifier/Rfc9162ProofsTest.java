package io.trustplane.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.trustplane.testing.log.Rfc6962Vectors;
import io.trustplane.testing.log.Rfc9162;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verifier's RFC 9162 algorithms against the published RFC 6962 test tree (Certificate Transparency's eight
 * leaves and their roots) and the testing module's independent reference: every proof of every pair of sizes up
 * to 70 verifies, and every mutation of one fails, in both.
 */
class Rfc9162ProofsTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void proofsOverThePublishedTreeVerifyAndMutationsFail() {
        for (int n = 1; n <= 8; n++) {
            List<byte[]> leaves = Rfc6962Vectors.leaves().subList(0, n);
            byte[] root = Rfc9162.mth(leaves);
            assertThat(HEX.formatHex(root)).isEqualTo(Rfc6962Vectors.ROOTS.get(n - 1));
            checkAll(leaves);
        }
    }

    @Test
    void everyPairOfSizesUpTo70() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(("leaf-" + i).getBytes());
            checkAll(leaves);
        }
    }

    @Test
    void edgeCases() {
        byte[] empty = Rfc9162.sha256();
        byte[] one = Rfc9162.leaf(new byte[] {1});
        assertThat(Rfc9162Proofs.verifyConsistency(0, 5, empty, one, List.of())).isTrue();
        assertThat(Rfc9162Proofs.verifyConsistency(3, 3, one, one, List.of())).isTrue();
        assertThat(Rfc9162Proofs.verifyConsistency(3, 3, one, empty, List.of())).isFalse();
        assertThat(Rfc9162Proofs.verifyConsistency(4, 3, one, one, List.of())).isFalse();
        assertThat(Rfc9162Proofs.verifyConsistency(2, 3, one, one, List.of())).isFalse();
        assertThat(Rfc9162Proofs.verifyInclusion(0, 1, one, List.of(), one)).isTrue();
        assertThat(Rfc9162Proofs.verifyInclusion(1, 1, one, List.of(), one)).isFalse();
        assertThat(Rfc9162Proofs.verifyInclusion(-1, 1, one, List.of(), one)).isFalse();
    }

    private static void checkAll(List<byte[]> leaves) {
        int n = leaves.size();
        byte[] root = Rfc9162.mth(leaves);
        for (int m = 0; m < n; m++) {
            byte[] leafHash = Rfc9162.leaf(leaves.get(m));
            List<byte[]> path = Rfc9162.path(m, leaves);
            assertThat(Rfc9162.verifyInclusion(m, n, leafHash, path, root)).isTrue();
            assertThat(Rfc9162Proofs.verifyInclusion(m, n, leafHash, path, root)).as("inclusion %d in %d", m, n).isTrue();
            assertThat(Rfc9162Proofs.verifyInclusion(m, n, Rfc9162.leaf(new byte[] {9, 9}), path, root)).isFalse();
            if (n > 1) {
                assertThat(Rfc9162Proofs.verifyInclusion((m + 1) % n, n, leafHash, path, root)).isFalse();
                assertThat(Rfc9162Proofs.verifyInclusion(m, n, leafHash, path.subList(1, path.size()), root)).isFalse();
                assertThat(Rfc9162Proofs.verifyInclusion(m, n, leafHash, flipped(path, 0), root)).isFalse();
            }
        }
        for (int m = 1; m <= n; m++) {
            byte[] old = Rfc9162.mth(leaves.subList(0, m));
            List<byte[]> proof = Rfc9162.proof(m, leaves);
            assertThat(Rfc9162.verifyConsistency(m, n, old, root, proof)).isTrue();
            assertThat(Rfc9162Proofs.verifyConsistency(m, n, old, root, proof)).as("consistency %d to %d", m, n).isTrue();
            if (m < n) {
                assertThat(Rfc9162Proofs.verifyConsistency(m, n, Rfc9162.leaf(new byte[] {7}), root, proof)).isFalse();
                assertThat(Rfc9162Proofs.verifyConsistency(m, n, old, root, flipped(proof, proof.size() - 1))).isFalse();
                assertThat(Rfc9162Proofs.verifyConsistency(m, n, old, Rfc9162.leaf(new byte[] {7}), proof)).isFalse();
                assertThat(Rfc9162Proofs.verifyConsistency(m, n, old, root, proof.subList(1, proof.size()))).isFalse();
            }
        }
    }

    private static List<byte[]> flipped(List<byte[]> hashes, int i) {
        List<byte[]> copy = new ArrayList<>(hashes);
        byte[] h = copy.get(i).clone();
        h[0] ^= 1;
        copy.set(i, h);
        return copy;
    }
}

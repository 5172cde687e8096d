package io.trustplane.verifier;

import static org.assertj.core.api.Assertions.assertThat;

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
    /** The CT reference leaves and the roots of their first 1..8 (certificate-transparency merkle tree tests). */
    private static final List<byte[]> CT_LEAVES = List.of(HEX.parseHex(""), HEX.parseHex("00"), HEX.parseHex("10"),
            HEX.parseHex("2021"), HEX.parseHex("3031"), HEX.parseHex("40414243"), HEX.parseHex("5051525354555657"),
            HEX.parseHex("606162636465666768696a6b6c6d6e6f"));
    private static final List<String> CT_ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void proofsOverThePublishedTreeVerifyAndMutationsFail() {
        for (int n = 1; n <= 8; n++) {
            List<byte[]> leaves = CT_LEAVES.subList(0, n);
            byte[] root = Rfc9162.mth(leaves);
            assertThat(HEX.formatHex(root)).isEqualTo(CT_ROOTS.get(n - 1));
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
            List<byte[]> path = path(m, leaves);
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
            List<byte[]> proof = consistency(m, leaves);
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

    /** RFC 6962 2.1.1 PATH(m, D[n]). */
    static List<byte[]> path(int m, List<byte[]> d) {
        int n = d.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = split(n);
        List<byte[]> p;
        if (m < k) {
            p = path(m, d.subList(0, k));
            p.add(Rfc9162.mth(d.subList(k, n)));
        } else {
            p = path(m - k, d.subList(k, n));
            p.add(Rfc9162.mth(d.subList(0, k)));
        }
        return p;
    }

    /** RFC 6962 2.1.2 PROOF(m, D[n]). */
    static List<byte[]> consistency(int m, List<byte[]> d) {
        return subproof(m, d, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
        int n = d.size();
        if (m == n) {
            List<byte[]> p = new ArrayList<>();
            if (!b) {
                p.add(Rfc9162.mth(d));
            }
            return p;
        }
        int k = split(n);
        List<byte[]> p;
        if (m <= k) {
            p = subproof(m, d.subList(0, k), b);
            p.add(Rfc9162.mth(d.subList(k, n)));
        } else {
            p = subproof(m - k, d.subList(k, n), false);
            p.add(Rfc9162.mth(d.subList(0, k)));
        }
        return p;
    }

    private static int split(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}

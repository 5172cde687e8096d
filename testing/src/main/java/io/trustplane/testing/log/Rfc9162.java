package io.trustplane.testing.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent RFC 6962 / RFC 9162 reference for tests, written from the recursive definitions of RFC 6962
 * section 2.1 as they read: MTH, PATH and PROOF/SUBPROOF over the leaves themselves, and the two verifiers as those
 * recursions run back from a proof (each level of the recursion owns the proof's last entry). It shares no code with
 * the production tree, and its formulation is not the iterative one of RFC 9162 that the verifier module follows,
 * so the two cannot share a mistake.
 */
public final class Rfc9162 {

    private Rfc9162() {
    }

    public static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] leaf(byte[] data) {
        return sha256(new byte[] {0}, data);
    }

    public static byte[] node(byte[] l, byte[] r) {
        return sha256(new byte[] {1}, l, r);
    }

    /** MTH(D[n]), RFC 6962 section 2.1. */
    public static byte[] mth(List<byte[]> data) {
        int n = data.size();
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leaf(data.get(0));
        }
        int k = (int) split(n);
        return node(mth(data.subList(0, k)), mth(data.subList(k, n)));
    }

    /** PATH(m, D[n]), RFC 6962 section 2.1.1: the audit path of leaf m, leaf to root. */
    public static List<byte[]> path(int m, List<byte[]> data) {
        int n = data.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = (int) split(n);
        List<byte[]> p;
        if (m < k) {
            p = path(m, data.subList(0, k));
            p.add(mth(data.subList(k, n)));
        } else {
            p = path(m - k, data.subList(k, n));
            p.add(mth(data.subList(0, k)));
        }
        return p;
    }

    /** PROOF(m, D[n]), RFC 6962 section 2.1.2: the consistency proof of the first m leaves with all n. */
    public static List<byte[]> proof(int m, List<byte[]> data) {
        return subproof(m, data, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> data, boolean b) {
        int n = data.size();
        if (m == n) {
            List<byte[]> p = new ArrayList<>();
            if (!b) {
                p.add(mth(data));
            }
            return p;
        }
        int k = (int) split(n);
        List<byte[]> p;
        if (m <= k) {
            p = subproof(m, data.subList(0, k), b);
            p.add(mth(data.subList(k, n)));
        } else {
            p = subproof(m - k, data.subList(k, n), false);
            p.add(mth(data.subList(0, k)));
        }
        return p;
    }

    /** Does {@code path} prove the leaf hash at {@code leafIndex} in the tree of {@code treeSize} leaves and {@code root}? */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            return false;
        }
        byte[] computed = rootFromPath(leafIndex, treeSize, leafHash, path, path.size());
        return computed != null && Arrays.equals(computed, root);
    }

    /**
     * PATH(m, D[n]) read back: its last of {@code entries} is the hash of the half without leaf m, the ones before
     * it the path inside the other half. Null when the path is too short or too long for the tree.
     */
    private static byte[] rootFromPath(long m, long n, byte[] leafHash, List<byte[]> path, int entries) {
        if (n == 1) {
            return entries == 0 ? leafHash : null;
        }
        if (entries == 0) {
            return null;
        }
        long k = split(n);
        byte[] otherHalf = path.get(entries - 1);
        if (m < k) {
            byte[] left = rootFromPath(m, k, leafHash, path, entries - 1);
            return left == null ? null : node(left, otherHalf);
        }
        byte[] right = rootFromPath(m - k, n - k, leafHash, path, entries - 1);
        return right == null ? null : node(otherHalf, right);
    }

    /** Is the tree of {@code second} leaves and {@code secondHash} an extension of the first {@code first} leaves? */
    public static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash,
            List<byte[]> proof) {
        if (first <= 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        byte[][] roots = rootsFromProof(first, second, true, firstHash, proof, proof.size());
        return roots != null && Arrays.equals(roots[0], firstHash) && Arrays.equals(roots[1], secondHash);
    }

    /**
     * SUBPROOF(m, D[n], b) read back: the hashes of the first m leaves of this subtree (the old tree's part of it)
     * and of the whole subtree, or null when the proof does not fit. Where b still holds and m = n the subtree is
     * the old tree itself, whose hash the verifier was given; anywhere else the proof carries it.
     */
    private static byte[][] rootsFromProof(long m, long n, boolean b, byte[] firstHash, List<byte[]> proof,
            int entries) {
        if (m == n) {
            if (b) {
                return entries == 0 ? new byte[][] {firstHash, firstHash} : null;
            }
            return entries == 1 ? new byte[][] {proof.get(0), proof.get(0)} : null;
        }
        if (entries == 0) {
            return null;
        }
        long k = split(n);
        byte[] otherHalf = proof.get(entries - 1);
        if (m <= k) {
            // the old part lies in the left half; the right half is new
            byte[][] left = rootsFromProof(m, k, b, firstHash, proof, entries - 1);
            return left == null ? null : new byte[][] {left[0], node(left[1], otherHalf)};
        }
        // the left half is complete in both trees (k is also the largest power of two below m)
        byte[][] right = rootsFromProof(m - k, n - k, false, firstHash, proof, entries - 1);
        return right == null ? null : new byte[][] {node(otherHalf, right[0]), node(otherHalf, right[1])};
    }

    /** k of RFC 6962: the largest power of two smaller than n (n > 1). */
    private static long split(long n) {
        long k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}

package io.trustplane.provenance.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 6962 / RFC 9162 Merkle tree arithmetic over stored perfect subtrees: leaf and node hashing, roots,
 * inclusion and consistency proofs. Every non-perfect range is composed from at most O(log n) perfect-subtree
 * hashes, so nothing ever rehashes the leaves.
 */
public final class Merkle {

    /** A perfect subtree: level 0 is a leaf; it covers leaves [idx * 2^level, (idx + 1) * 2^level). */
    public record Node(int level, long idx) {
    }

    /** Reads perfect-subtree hashes; proofs first ask {@link #nodesFor} which ones, then fetch them at once. */
    @FunctionalInterface
    public interface NodeSource {
        byte[] hash(Node node);
    }

    private Merkle() {
    }

    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    public static byte[] leafHash(byte[] leaf) {
        MessageDigest d = sha256();
        d.update((byte) 0x00);
        return d.digest(leaf);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 0x01);
        d.update(left);
        return d.digest(right);
    }

    /** Root of the first {@code size} leaves. */
    public static byte[] root(long size, NodeSource source) {
        return size == 0 ? emptyRoot() : range(0, size, source);
    }

    /** RFC 9162 2.1.3.1 PATH(m, D[0:n]): the audit path of leaf m in the tree of size n, leaf to root order. */
    public static List<byte[]> inclusionProof(long m, long n, NodeSource source) {
        if (m < 0 || m >= n) {
            throw new IllegalArgumentException("leaf " + m + " is not in a tree of size " + n);
        }
        List<byte[]> proof = new ArrayList<>();
        path(m, 0, n, source, proof);
        return proof;
    }

    /** RFC 9162 2.1.4.1 PROOF(m, D[0:n]): consistency of the tree of size m with the tree of size n. */
    public static List<byte[]> consistencyProof(long m, long n, NodeSource source) {
        if (m < 0 || m > n) {
            throw new IllegalArgumentException("cannot prove size " + m + " consistent with size " + n);
        }
        List<byte[]> proof = new ArrayList<>();
        if (m > 0 && m < n) {
            subproof(m, 0, n, true, source, proof);
        }
        return proof;
    }

    /** The stored nodes a computation will read: run it against a recorder and collect what it asked for. */
    public static Set<Node> nodesFor(java.util.function.Consumer<NodeSource> computation) {
        Set<Node> wanted = new LinkedHashSet<>();
        byte[] placeholder = new byte[32];
        computation.accept(node -> {
            wanted.add(node);
            return placeholder;
        });
        return wanted;
    }

    /** A source over an in-memory map (what the repository fetched). */
    public static NodeSource fromMap(Map<Node, byte[]> hashes) {
        return node -> {
            byte[] h = hashes.get(node);
            if (h == null) {
                throw new IllegalStateException("missing tree node " + node);
            }
            return h;
        };
    }

    /** The perfect subtrees whose hashes a tree of {@code size} leaves folds into its root, largest first. */
    public static List<Node> frontier(long size) {
        List<Node> nodes = new ArrayList<>();
        long start = 0;
        for (int level = 63 - Long.numberOfLeadingZeros(Math.max(size, 1)); level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                nodes.add(new Node(level, start >> level));
                start += 1L << level;
            }
        }
        return nodes;
    }

    private static void path(long m, long start, long end, NodeSource source, List<byte[]> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = splitPoint(n);
        if (m < k) {
            path(m, start, start + k, source, out);
            out.add(range(start + k, end, source));
        } else {
            path(m - k, start + k, end, source, out);
            out.add(range(start, start + k, source));
        }
    }

    private static void subproof(long m, long start, long end, boolean complete, NodeSource source,
            List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            if (!complete) {
                out.add(range(start, end, source));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproof(m, start, start + k, complete, source, out);
            out.add(range(start + k, end, source));
        } else {
            subproof(m - k, start + k, end, false, source, out);
            out.add(range(start, start + k, source));
        }
    }

    /** MTH(D[start:end]) where start is aligned as RFC 9162 splits always leave it. */
    static byte[] range(long start, long end, NodeSource source) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return source.hash(new Node(Long.numberOfTrailingZeros(n), start / n));
        }
        long k = splitPoint(n);
        return nodeHash(range(start, start + k, source), range(start + k, end, source));
    }

    /** The largest power of two strictly smaller than n (n > 1). */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Appends leaf hashes to a tree of {@code size} leaves whose frontier hashes are given, and returns every
     * perfect subtree completed on the way plus the new root.
     */
    public static Appended append(long size, Map<Node, byte[]> frontierHashes, List<byte[]> leafHashes) {
        // pending left siblings by level: exactly the frontier of the current tree
        Map<Integer, byte[]> left = new HashMap<>();
        for (Node node : frontier(size)) {
            left.put(node.level(), frontierHashes.get(node));
        }
        Map<Node, byte[]> created = new java.util.LinkedHashMap<>();
        long index = size;
        for (byte[] leafHash : leafHashes) {
            byte[] h = leafHash;
            int level = 0;
            long idx = index;
            created.put(new Node(0, idx), h);
            while ((idx & 1) == 1) {
                h = nodeHash(left.remove(level), h);
                level++;
                idx >>= 1;
                created.put(new Node(level, idx), h);
            }
            left.put(level, h);
            index++;
        }
        Map<Node, byte[]> all = new HashMap<>(frontierHashes);
        all.putAll(created);
        return new Appended(index, root(index, fromMap(all)), created);
    }

    /** Result of {@link #append}: the new size and root and the perfect-subtree hashes to store. */
    public record Appended(long size, byte[] root, Map<Node, byte[]> nodes) {
    }
}

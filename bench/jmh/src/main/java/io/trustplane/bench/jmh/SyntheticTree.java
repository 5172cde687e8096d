package io.trustplane.bench.jmh;


import io.trustplane.provenance.domain.Merkle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every perfect subtree of a log of {@code size} leaves, hashed with the service's own leaf and node hashing and
 * held in flat arrays (about 64 bytes per leaf): it stands in for the tree_node table, so benchmarks can ask
 * for exactly the nodes the provenance-service would fetch.
 */
final class SyntheticTree {

    private static final int HASH = 32;

    private final long size;
    private final byte[][] levels;

    private SyntheticTree(long size, byte[][] levels) {
        this.size = size;
        this.levels = levels;
    }

    static SyntheticTree build(long size) {
        if (size < 1 || size > Integer.MAX_VALUE / HASH) {
            throw new IllegalArgumentException("tree size out of range: " + size);
        }
        int height = 64 - Long.numberOfLeadingZeros(size);
        byte[][] levels = new byte[height][];
        levels[0] = new byte[(int) size * HASH];
        for (int i = 0; i < size; i++) {
            System.arraycopy(Merkle.leafHash(leaf(i)), 0, levels[0], i * HASH, HASH);
        }
        for (int l = 1; l < height; l++) {
            int count = (int) (size >> l);
            byte[] below = levels[l - 1];
            levels[l] = new byte[count * HASH];
            for (int i = 0; i < count; i++) {
                byte[] h = Merkle.nodeHash(Arrays.copyOfRange(below, 2 * i * HASH, (2 * i + 1) * HASH),
                        Arrays.copyOfRange(below, (2 * i + 1) * HASH, (2 * i + 2) * HASH));
                System.arraycopy(h, 0, levels[l], i * HASH, HASH);
            }
        }
        return new SyntheticTree(size, levels);
    }

    /** The leaf data of leaf {@code i} (its content does not change any cost measured here). */
    static byte[] leaf(long i) {
        return ("leaf-" + i).getBytes(StandardCharsets.UTF_8);
    }

    long size() {
        return size;
    }

    byte[] hash(Merkle.Node node) {
        int from = (int) node.idx() * HASH;
        return Arrays.copyOfRange(levels[node.level()], from, from + HASH);
    }

    /** What LogRepository.nodes answers: the requested perfect-subtree hashes by node. */
    Map<Merkle.Node, byte[]> fetch(Set<Merkle.Node> wanted) {
        Map<Merkle.Node, byte[]> out = new LinkedHashMap<>();
        for (Merkle.Node n : wanted) {
            out.put(n, hash(n));
        }
        return out;
    }
}

package io.trustplane.testing.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent RFC 6962 / RFC 9162 reference, written from the RFC text for tests only: MTH by the recursive
 * definition over all leaves, and the verification algorithms of sections 2.1.3.2 and 2.1.4.2. It shares no
 * code with the production tree.
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

    /** MTH(D[n]) straight from RFC 6962 section 2.1. */
    public static byte[] mth(List<byte[]> data) {
        int n = data.size();
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leaf(data.get(0));
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return node(mth(data.subList(0, k)), mth(data.subList(k, n)));
    }

    /** RFC 9162 2.1.3.2. */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** RFC 9162 2.1.4.2. */
    public static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash,
            List<byte[]> proof) {
        if (first > second || first == 0) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, firstHash) && Arrays.equals(sr, secondHash) && sn == 0;
    }
}

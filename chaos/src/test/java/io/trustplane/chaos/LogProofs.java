package io.trustplane.chaos;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Independent verifiers for the provenance log, written from the specs with the JDK only and sharing no code
 * with the service: C2SP signed notes (Ed25519) carrying tlog-checkpoints, and RFC 9162 inclusion and
 * consistency proofs (the same reference the provenance module's own tests use).
 */
final class LogProofs {

    private LogProofs() {
    }


    private static final Pattern KEY = Pattern.compile("([^+\\s]+)\\+([0-9a-f]{8})\\+([A-Za-z0-9+/=]+)");
    private static final Pattern CHECKPOINT = Pattern.compile("([^\\n]+)\\n(0|[1-9][0-9]*)\\n([A-Za-z0-9+/=]{44})\\n");

    record Checkpoint(String origin, long size, byte[] root) {
    }

    
    /** The checkpoint body of a signed note, after verifying the note's signature by {@code verifierKey}. */
    static Checkpoint verify(String note, String verifierKey) throws Exception {
        Matcher key = KEY.matcher(verifierKey.trim());
        if (!key.matches()) {
            throw new IllegalArgumentException("bad verifier key " + verifierKey);
        }
        String name = key.group(1);
        byte[] keyId = HexFormat.of().parseHex(key.group(2));
        byte[] typed = Base64.getDecoder().decode(key.group(3));
        if (typed.length != 33 || typed[0] != 0x01) {
            throw new IllegalArgumentException("not an Ed25519 verifier key");
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, 33);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        byte[] expectedId = Arrays.copyOf(sha.digest(typed), 4);
        if (!Arrays.equals(expectedId, keyId)) {
            throw new SecurityException("key id does not match the key");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new SecurityException("malformed note");
        }
        String text = note.substring(0, split + 1);
        String[] sigLines = note.substring(split + 2).split("\n");
        boolean verified = false;
        for (String line : sigLines) {
            if (!line.startsWith("\u2014 ")) {
                throw new SecurityException("malformed signature line: " + line);
            }
            String[] parts = line.substring(2).split(" ");
            if (parts.length != 2 || !parts[0].equals(name)) {
                continue;
            }
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            if (blob.length != 68 || !Arrays.equals(Arrays.copyOf(blob, 4), keyId)) {
                continue;
            }
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(publicKey(raw));
            sig.update(text.getBytes(StandardCharsets.UTF_8));
            boolean ok;
            try {
                ok = sig.verify(Arrays.copyOfRange(blob, 4, 68));
            } catch (java.security.SignatureException e) {
                ok = false; // e.g. R is not a curve point
            }
            if (!ok) {
                throw new SecurityException("signature does not verify");
            }
            verified = true;
        }
        if (!verified) {
            throw new SecurityException("no signature by " + name);
        }
        Matcher body = CHECKPOINT.matcher(text);
        if (!body.matches()) {
            throw new SecurityException("not a tlog-checkpoint: " + text);
        }
        return new Checkpoint(body.group(1), Long.parseLong(body.group(2)), Base64.getDecoder().decode(body.group(3)));
    }

    /** RFC 8032 public key encoding -> JDK key: little-endian y with the x parity in the top bit. */
    static PublicKey publicKey(byte[] raw) throws Exception {
        byte[] le = raw.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7F;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
    }


    
    static byte[] sha256(byte[]... parts) {
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

    static byte[] leaf(byte[] data) {
        return sha256(new byte[] {0}, data);
    }

    static byte[] node(byte[] l, byte[] r) {
        return sha256(new byte[] {1}, l, r);
    }

    /** MTH(D[n]) straight from RFC 6962 section 2.1. */
    static byte[] mth(List<byte[]> data) {
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
    static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
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
    static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash,
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

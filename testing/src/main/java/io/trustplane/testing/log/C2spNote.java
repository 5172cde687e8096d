package io.trustplane.testing.log;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent verifier of C2SP signed notes (Ed25519) and tlog-checkpoints, written for tests from the
 * C2SP specs with the JDK only; it shares no code with the service.
 */
public final class C2spNote {

    private static final Pattern KEY = Pattern.compile("([^+\\s]+)\\+([0-9a-f]{8})\\+([A-Za-z0-9+/=]+)");
    private static final Pattern CHECKPOINT = Pattern.compile("([^\\n]+)\\n(0|[1-9][0-9]*)\\n([A-Za-z0-9+/=]{44})\\n");

    public record Checkpoint(String origin, long size, byte[] root) {
    }

    private C2spNote() {
    }

    /** The checkpoint body of a signed note, after verifying the note's signature by {@code verifierKey}. */
    public static Checkpoint verify(String note, String verifierKey) throws Exception {
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
    public static PublicKey publicKey(byte[] raw) throws Exception {
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
}

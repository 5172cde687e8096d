package io.trustplane.provenance.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The text of C2SP tlog-checkpoints and Ed25519 signed notes, without the key itself: the checkpoint body, the key
 * id, the signature line {@code — <name> base64(keyid || signature)} and the verifier key string. The signature
 * bytes come from whoever holds the key ({@code service.NoteSigner}).
 */
public final class CheckpointNote {

    /** The signature type byte of Ed25519 in C2SP signed notes. */
    public static final byte ED25519_TYPE = 0x01;

    private CheckpointNote() {
    }

    /** The C2SP tlog-checkpoint body: origin, decimal size, base64 root, each line newline-terminated. */
    public static String body(String origin, long size, byte[] root) {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Refuses a key name a signed note cannot carry: empty, with whitespace or with '+'. */
    public static String requireKeyName(String name) {
        if (name.isEmpty() || name.contains("+") || name.chars().anyMatch(c -> Character.isWhitespace(c))) {
            throw new IllegalArgumentException("note key name must be non-empty without spaces or '+': " + name);
        }
        return name;
    }

    /** The key id: the first four bytes of SHA-256(name || 0x0A || 0x01 || public key). */
    public static byte[] keyId(String name, byte[] publicKey) {
        var digest = Merkle.sha256();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0x0A);
        digest.update(ED25519_TYPE);
        return Arrays.copyOf(digest.digest(publicKey), 4);
    }

    /** The note {@code text} (ending in a newline) with the signature line for {@code signature} appended. */
    public static String signed(String text, String name, byte[] keyId, byte[] signature) {
        byte[] blob = new byte[keyId.length + signature.length];
        System.arraycopy(keyId, 0, blob, 0, keyId.length);
        System.arraycopy(signature, 0, blob, keyId.length, signature.length);
        return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    /** The verifier key string {@code name+hex(keyid)+base64(0x01 || public key)}. */
    public static String verifierKey(String name, byte[] keyId, byte[] publicKey) {
        byte[] typed = new byte[1 + publicKey.length];
        typed[0] = ED25519_TYPE;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }
}

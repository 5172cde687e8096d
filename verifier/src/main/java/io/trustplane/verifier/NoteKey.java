package io.trustplane.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A C2SP signed-note verifier key {@code <name>+<hex key id>+<base64(type || public key)>}: type 0x01 is an Ed25519
 * note signer (a log's checkpoint key), type 0x04 an Ed25519 cosignature/v1 signer (a witness). The key id is the
 * first four bytes of SHA-256(name || 0x0A || type || public key) and is checked on parsing.
 */
public record NoteKey(String name, byte[] keyId, byte type, byte[] publicKey) {

    public static final byte ED25519 = 0x01;
    public static final byte COSIGNATURE_V1 = 0x04;
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw Ed25519 key (RFC 8410). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Parses and checks a verifier key string; throws IllegalArgumentException saying what is wrong. */
    public static NoteKey parse(String vkey) {
        String s = vkey.trim();
        int first = s.indexOf('+');
        int second = first < 0 ? -1 : s.indexOf('+', first + 1);
        if (first <= 0 || second != first + 9) {
            throw new IllegalArgumentException("a verifier key is <name>+<8 hex digits>+<base64 key>: " + vkey);
        }
        String name = s.substring(0, first);
        byte[] id;
        byte[] typed;
        try {
            id = HexFormat.of().parseHex(s.substring(first + 1, second));
            typed = Base64.getDecoder().decode(s.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("verifier key has a bad key id or base64 key: " + vkey);
        }
        if (typed.length != 33 || (typed[0] != ED25519 && typed[0] != COSIGNATURE_V1)) {
            throw new IllegalArgumentException("verifier key is not an Ed25519 (0x01) or cosignature/v1 (0x04) key: "
                    + vkey);
        }
        NoteKey key = new NoteKey(name, id, typed[0], Arrays.copyOfRange(typed, 1, 33));
        if (!Arrays.equals(keyId(name, typed[0], key.publicKey), id)) {
            throw new IllegalArgumentException("verifier key id does not match its name and key: " + vkey);
        }
        return key;
    }

    /** The key id of a signer: SHA-256(name || 0x0A || type || public key)[:4]. */
    public static byte[] keyId(String name, byte type, byte[] publicKey) {
        MessageDigest d = Rfc9162Proofs.sha256();
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        d.update(type);
        return Arrays.copyOf(d.digest(publicKey), 4);
    }

    /** The verifier key string of a raw Ed25519 public key. */
    public static String format(String name, byte type, byte[] publicKey) {
        byte[] typed = new byte[33];
        typed[0] = type;
        System.arraycopy(publicKey, 0, typed, 1, 32);
        return name + "+" + HexFormat.of().formatHex(keyId(name, type, publicKey)) + "+"
                + Base64.getEncoder().encodeToString(typed);
    }

    /** Does {@code signature} by this key verify over {@code message}? (False, never an exception, when not.) */
    public boolean verifies(byte[] message, byte[] signature) {
        try {
            var verifier = java.security.Signature.getInstance("Ed25519");
            verifier.initVerify(jdkKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // e.g. a signature whose R is not a curve point
        }
    }

    private PublicKey jdkKey() throws GeneralSecurityException {
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(publicKey, 0, der, X509_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    @Override
    public String toString() {
        return format(name, type, publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteKey k && k.name.equals(name) && k.type == type && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }
}

package io.trustplane.provenance.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Writes C2SP tlog-checkpoints and signs them as C2SP signed notes with Ed25519 (JDK only): the signature
 * line is {@code — <name> base64(keyid || signature)} and the key id is the first four bytes of
 * SHA-256(name || 0x0A || 0x01 || public key).
 */
public final class NoteSigner {

    private static final byte ED25519_TYPE = 0x01;
    private static final int RAW_KEY_LENGTH = 32;

    private final String name;
    private final PrivateKey privateKey;
    private final byte[] publicKey;
    private final byte[] keyId;

    public NoteSigner(String name, PrivateKey privateKey) {
        if (name.isEmpty() || name.contains("+") || name.chars().anyMatch(c -> Character.isWhitespace(c))) {
            throw new IllegalArgumentException("note key name must be non-empty without spaces or '+': " + name);
        }
        this.name = name;
        this.privateKey = privateKey;
        this.publicKey = rawPublicKey(privateKey);
        this.keyId = keyId(name, publicKey);
    }

    /** Parses a PKCS#8 PEM Ed25519 private key. */
    public static PrivateKey parsePem(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        if (base64.isEmpty()) {
            throw new GeneralSecurityException("no PEM content");
        }
        byte[] der = Base64.getDecoder().decode(base64);
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** The C2SP tlog-checkpoint body: origin, decimal size, base64 root, each line newline-terminated. */
    public static String checkpointBody(String origin, long size, byte[] root) {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /** Signs {@code text} (which must end in a newline) and returns the complete signed note. */
    public String sign(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = signature.sign();
            byte[] blob = new byte[keyId.length + sig.length];
            System.arraycopy(keyId, 0, blob, 0, keyId.length);
            System.arraycopy(sig, 0, blob, keyId.length, sig.length);
            return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign checkpoint", e);
        }
    }

    /** The verifier key string {@code name+hex(keyid)+base64(0x01 || public key)}. */
    public String verifierKey() {
        byte[] typed = new byte[1 + publicKey.length];
        typed[0] = ED25519_TYPE;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return name + "+" + HexFormat.of().formatHex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    public String name() {
        return name;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    static byte[] keyId(String name, byte[] publicKey) {
        var digest = Merkle.sha256();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0x0A);
        digest.update(ED25519_TYPE);
        return Arrays.copyOf(digest.digest(publicKey), 4);
    }

    /**
     * The JDK cannot derive an Ed25519 public key from a private one directly, but its key generator turns a
     * 32-byte seed from the supplied random source into the pair: feed it the private key's seed.
     */
    private static byte[] rawPublicKey(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed)) {
            throw new IllegalArgumentException("log signing key must be Ed25519, got " + key.getAlgorithm());
        }
        byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 key has no seed"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            KeyPair pair = generator.generateKeyPair();
            PublicKey pub = pair.getPublic();
            byte[] spki = pub.getEncoded();
            // X.509 SubjectPublicKeyInfo for Ed25519 ends with the 32 raw key bytes
            return Arrays.copyOfRange(spki, spki.length - RAW_KEY_LENGTH, spki.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive Ed25519 public key", e);
        }
    }
}

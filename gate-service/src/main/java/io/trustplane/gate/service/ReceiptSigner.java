package io.trustplane.gate.service;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs tool-call receipts with gate-service's Ed25519 key: the signed bytes are the RFC 8785 canonical JSON of the
 * receipt without its {@code signature} member, so anyone holding the published key verifies a receipt offline
 * (e.g. {@code openssl pkeyutl -verify -rawin}). Keys are parsed by the JDK, signatures made by BouncyCastle.
 */
public final class ReceiptSigner {

    public static final String SIGNATURE = "signature";
    private static final int RAW_KEY_LENGTH = 32;
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before the 32 raw key bytes. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final String keyId;

    public ReceiptSigner(PrivateKey key) {
        this.privateKey = new Ed25519PrivateKeyParameters(seed(key), 0);
        this.publicKey = privateKey.generatePublicKey().getEncoded();
        this.keyId = "ed25519:" + HexFormat.of().formatHex(Arrays.copyOf(sha256(publicKey), 8));
    }

    /** Parses a PKCS#8 PEM Ed25519 private key. */
    public static PrivateKey parsePem(String pem) throws Exception {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(body)));
    }

    /** Short identifier of the key: the first 8 bytes of the SHA-256 of the raw public key, in hex. */
    public String keyId() {
        return keyId;
    }

    /** The raw 32-byte public key, base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /** The public key as a SubjectPublicKeyInfo PEM, the form openssl reads. */
    public String publicKeyPem() {
        byte[] der = new byte[SPKI_PREFIX.length + publicKey.length];
        System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
        System.arraycopy(publicKey, 0, der, SPKI_PREFIX.length, publicKey.length);
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The base64 Ed25519 signature of {@code message} (the receipt's canonical bytes). */
    public String signature(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer(); // not thread-safe; cheap to make per receipt
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return Base64.getEncoder().encodeToString(signer.generateSignature());
    }

    /** RFC 8785 canonical form of a JSON text (any value: a lone string or number too). */
    public static byte[] canonical(String json) {
        try {
            String trimmed = json.strip();
            if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
                // the canonicalizer takes only objects and arrays: a one-element array's form, brackets removed
                byte[] wrapped = new JsonCanonicalizer("[" + trimmed + "]").getEncodedUTF8();
                return java.util.Arrays.copyOfRange(wrapped, 1, wrapped.length - 1);
            }
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code sha256:<hex>} of the canonical form of a JSON text. */
    public static String digest(String json) {
        return "sha256:" + HexFormat.of().formatHex(sha256(canonical(json)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] seed(PrivateKey key) {
        if (!(key instanceof java.security.interfaces.EdECPrivateKey ed)) {
            throw new IllegalArgumentException("receipt signing key must be Ed25519, got " + key.getAlgorithm());
        }
        byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 key has no seed"));
        if (seed.length != RAW_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 seed must be " + RAW_KEY_LENGTH + " bytes");
        }
        return seed;
    }
}

package io.trustplane.provenance.service;

import io.trustplane.provenance.domain.CheckpointNote;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Holds the log's Ed25519 key and signs C2SP tlog-checkpoints as C2SP signed notes (keys parsed by the JDK, signatures
 * made with BouncyCastle's RFC 8032 implementation, several times faster than JDK 17's); the note's text, key id and
 * signature line are {@link CheckpointNote}'s.
 */
public final class NoteSigner {

    private static final int RAW_KEY_LENGTH = 32;

    private final String name;
    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final byte[] keyId;

    public NoteSigner(String name, PrivateKey privateKey) {
        this.name = CheckpointNote.requireKeyName(name);
        this.privateKey = new Ed25519PrivateKeyParameters(seed(privateKey), 0);
        this.publicKey = this.privateKey.generatePublicKey().getEncoded();
        this.keyId = CheckpointNote.keyId(name, publicKey);
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
        return CheckpointNote.body(origin, size, root);
    }

    /** Signs {@code text} (which must end in a newline) and returns the complete signed note. */
    public String sign(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        Ed25519Signer signer = new Ed25519Signer(); // not thread-safe; cheap to make per note
        signer.init(true, privateKey);
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        signer.update(message, 0, message.length);
        return CheckpointNote.signed(text, name, keyId, signer.generateSignature());
    }

    /** The verifier key string {@code name+hex(keyid)+base64(0x01 || public key)}. */
    public String verifierKey() {
        return CheckpointNote.verifierKey(name, keyId, publicKey);
    }

    public String name() {
        return name;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The 32-byte RFC 8032 seed of a JDK Ed25519 private key. */
    private static byte[] seed(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed)) {
            throw new IllegalArgumentException("log signing key must be Ed25519, got " + key.getAlgorithm());
        }
        byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("Ed25519 key has no seed"));
        if (seed.length != RAW_KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 seed must be " + RAW_KEY_LENGTH + " bytes");
        }
        return seed;
    }
}

package io.trustplane.testing.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A log or witness key for tests, signing with the JDK's Ed25519 straight from the C2SP signed-note and
 * tlog-cosignature texts; it shares no code with the service or the verifier.
 */
public final class NoteSigner {

    /** C2SP signature type of a note signer key (Ed25519). */
    public static final byte ED25519 = 0x01;
    /** C2SP signature type of a cosignature/v1 witness key. */
    public static final byte COSIGNATURE_V1 = 0x04;

    private final String name;
    private final byte type;
    private final KeyPair pair;
    private final byte[] raw;

    /** A new key pair named {@code name} of signature {@code type}. */
    public NoteSigner(String name, byte type) throws GeneralSecurityException {
        this(name, type, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    /** The key pair {@code pair} (Ed25519) named {@code name} of signature {@code type}. */
    public NoteSigner(String name, byte type, KeyPair pair) {
        this.name = name;
        this.type = type;
        this.pair = pair;
        byte[] der = pair.getPublic().getEncoded();
        this.raw = Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    public String name() {
        return name;
    }

    /** The verifier key: {@code name+keyid+base64(type || public key)}. */
    public String vkey() throws GeneralSecurityException {
        return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed());
    }

    /** A signed checkpoint note for (origin = name, size, root). */
    public String checkpoint(long size, byte[] root) throws GeneralSecurityException {
        String text = name + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
        return text + "\n" + line(sign(text.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** The cosignature/v1 line over a note's text at {@code time} (seconds since the epoch). */
    public String cosign(String note, long time) throws GeneralSecurityException {
        String text = note.substring(0, note.indexOf("\n\n") + 1);
        byte[] sig = sign(("cosignature/v1\ntime " + time + "\n" + text).getBytes(StandardCharsets.UTF_8));
        return line(sig, time);
    }

    private String line(byte[] sig, Long time) throws GeneralSecurityException {
        ByteBuffer blob = ByteBuffer.allocate(4 + (time == null ? 0 : 8) + 64);
        blob.put(keyId());
        if (time != null) {
            blob.putLong(time);
        }
        blob.put(sig);
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob.array()) + "\n";
    }

    private byte[] sign(byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(message);
        return s.sign();
    }

    private byte[] typed() {
        byte[] t = new byte[33];
        t[0] = type;
        System.arraycopy(raw, 0, t, 1, 32);
        return t;
    }

    private byte[] keyId() throws GeneralSecurityException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        return Arrays.copyOf(d.digest(typed()), 4);
    }
}

package io.trustplane.verifier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A log or witness key for tests, signing with the JDK's Ed25519 straight from the C2SP texts. */
final class TestSigner {

    final String name;
    final byte type;
    private final KeyPair pair;
    private final byte[] raw;

    TestSigner(String name, byte type) throws Exception {
        this.name = name;
        this.type = type;
        this.pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] der = pair.getPublic().getEncoded();
        this.raw = Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    String vkey() throws Exception {
        return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed());
    }

    /** A signed checkpoint note for (origin = name, size, root). */
    String checkpoint(long size, byte[] root) throws Exception {
        String text = name + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
        return text + "\n" + line(sign(text.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** The cosignature/v1 line over a note's text at {@code time}. */
    String cosign(String note, long time) throws Exception {
        String text = note.substring(0, note.indexOf("\n\n") + 1);
        byte[] sig = sign(("cosignature/v1\ntime " + time + "\n" + text).getBytes(StandardCharsets.UTF_8));
        return line(sig, time);
    }

    private String line(byte[] sig, Long time) throws Exception {
        ByteBuffer blob = ByteBuffer.allocate(4 + (time == null ? 0 : 8) + 64);
        blob.put(keyId());
        if (time != null) {
            blob.putLong(time);
        }
        blob.put(sig);
        return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob.array()) + "\n";
    }

    private byte[] sign(byte[] message) throws Exception {
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

    private byte[] keyId() throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(name.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0x0A);
        return Arrays.copyOf(d.digest(typed()), 4);
    }
}

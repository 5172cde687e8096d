package io.trustplane.verifier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note holding a C2SP tlog-checkpoint: the text (origin, size, base64 root, optional extension lines),
 * a blank line, then signature lines {@code — <name> base64(key id || signature)}. Log signatures are Ed25519 over
 * the text; witness cosignatures (C2SP tlog-cosignature, cosignature/v1) carry an 8-byte big-endian timestamp after
 * the key id and sign {@code "cosignature/v1\ntime <seconds>\n" + text}.
 */
public final class SignedNote {

    /** One signature line. */
    public record Signature(String name, byte[] keyId, byte[] blob, String line) {
    }

    /** A witness cosignature that verified. */
    public record Cosignature(NoteKey witness, long timestamp) {
    }

    private final String text;
    private final List<Signature> signatures;
    private final String origin;
    private final long size;
    private final byte[] root;

    private SignedNote(String text, List<Signature> signatures, String origin, long size, byte[] root) {
        this.text = text;
        this.signatures = signatures;
        this.origin = origin;
        this.size = size;
        this.root = root;
    }

    /** Parses a signed checkpoint note; throws VerificationException (MALFORMED) when it is not one. */
    public static SignedNote parse(String note) {
        int split = note.indexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw malformed("a signed note is text, a blank line and signature lines, ending in a newline");
        }
        String text = note.substring(0, split + 1);
        String[] lines = text.split("\n", -1);
        if (lines.length < 4) {
            throw malformed("a checkpoint has an origin, a tree size and a root hash line");
        }
        if (lines[0].isEmpty() || !lines[1].matches("0|[1-9][0-9]{0,18}") || !lines[2].matches("[A-Za-z0-9+/]{43}=")) {
            throw malformed("checkpoint lines are <origin>\\n<decimal size>\\n<base64 32-byte root>\\n");
        }
        List<Signature> signatures = new ArrayList<>();
        for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
            if (!line.startsWith("\u2014 ")) {
                throw malformed("signature lines start with an em dash and a space: " + line);
            }
            String[] parts = line.substring(2).split(" ", -1);
            byte[] blob;
            try {
                blob = parts.length == 2 ? Base64.getDecoder().decode(parts[1]) : new byte[0];
            } catch (IllegalArgumentException e) {
                blob = new byte[0];
            }
            if (parts.length != 2 || parts[0].isEmpty() || blob.length < 5) {
                throw malformed("a signature line is '\u2014 <name> <base64 key id and signature>': " + line);
            }
            signatures.add(new Signature(parts[0], Arrays.copyOf(blob, 4), blob, line));
        }
        return new SignedNote(text, signatures, lines[0], Long.parseLong(lines[1]),
                Base64.getDecoder().decode(lines[2]));
    }

    /** Fails unless a signature line by {@code key} (an Ed25519 note key) verifies over the text. */
    public void verifyLogSignature(NoteKey key) {
        if (key.type() != NoteKey.ED25519) {
            throw new VerificationException(Verdict.BAD_SIGNATURE, "the log key must be an Ed25519 (0x01) key");
        }
        if (!origin.equals(key.name())) {
            throw new VerificationException(Verdict.BAD_SIGNATURE, "checkpoint origin '" + origin
                    + "' is not the log key's name '" + key.name() + "'");
        }
        boolean found = false;
        for (Signature s : signatures) {
            if (s.name().equals(key.name()) && Arrays.equals(s.keyId(), key.keyId())) {
                found = true;
                if (s.blob().length != 68
                        || !key.verifies(bytes(text), Arrays.copyOfRange(s.blob(), 4, 68))) {
                    throw new VerificationException(Verdict.BAD_SIGNATURE, "the log signature does not verify");
                }
            }
        }
        if (!found) {
            throw new VerificationException(Verdict.BAD_SIGNATURE, "no signature by the log key "
                    + key.name() + "+" + java.util.HexFormat.of().formatHex(key.keyId()));
        }
    }

    /**
     * The cosignatures by {@code witnesses} that verify. A line that names a given witness key (name and key id) but
     * does not verify fails the whole note: it is a tampered or forged cosignature, not a missing one.
     */
    public List<Cosignature> verifyCosignatures(List<NoteKey> witnesses) {
        List<Cosignature> good = new ArrayList<>();
        for (NoteKey w : witnesses) {
            for (Signature s : signatures) {
                if (!s.name().equals(w.name()) || !Arrays.equals(s.keyId(), w.keyId())) {
                    continue;
                }
                Long time = cosignatureTime(s, w);
                if (time == null) {
                    throw new VerificationException(Verdict.BAD_COSIGNATURE, "the cosignature by witness " + w.name()
                            + " does not verify");
                }
                good.add(new Cosignature(w, time));
                break;
            }
        }
        return good;
    }

    /** The timestamp of a cosignature/v1 line by {@code witness} over this checkpoint, or null if it fails. */
    public Long cosignatureTime(Signature s, NoteKey witness) {
        if (witness.type() != NoteKey.COSIGNATURE_V1 || s.blob().length != 4 + 8 + 64) {
            return null;
        }
        long time = ByteBuffer.wrap(s.blob(), 4, 8).getLong();
        byte[] message = bytes(cosignedMessage(time, text));
        return witness.verifies(message, Arrays.copyOfRange(s.blob(), 12, 76)) ? time : null;
    }

    /** The message a cosignature/v1 signs over checkpoint {@code text}. */
    public static String cosignedMessage(long time, String text) {
        return "cosignature/v1\ntime " + time + "\n" + text;
    }

    public String text() {
        return text;
    }

    public List<Signature> signatures() {
        return signatures;
    }

    public String origin() {
        return origin;
    }

    public long size() {
        return size;
    }

    public byte[] root() {
        return root.clone();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static VerificationException malformed(String why) {
        return new VerificationException(Verdict.MALFORMED, why);
    }
}

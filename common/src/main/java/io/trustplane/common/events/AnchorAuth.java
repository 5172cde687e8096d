package io.trustplane.common.events;

import org.erdtman.jcs.JsonCanonicalizer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;

/**
 * Authenticates entries on {@code tp:anchor}: {@code auth = base64url(HMAC-SHA256(key of the envelope's source,
 * RFC 8785 canonical JSON of the envelope without auth))}. Each producing service holds its own secret
 * ({@code anchor-<service>.key}, 32 random bytes in base64); provenance-service holds the producers' secrets and
 * appends an anchor only when the tag verifies under the key of the source it names, so write access to Redis
 * alone cannot forge an anchor, and one service cannot anchor in another's name. HMAC rather than a signature:
 * a tag costs about a microsecond on the decision hot path, an Ed25519 signature some 50 us.
 */
public final class AnchorAuth {

    public static final String ALGORITHM = "HmacSHA256";

    private AnchorAuth() {
    }

    /** The file holding {@code service}'s anchor key inside a keys directory. */
    public static Path keyFile(Path directory, String service) {
        return directory.resolve("anchor-" + service + ".key");
    }

    /** Reads a key file (base64 text); empty files and short keys are refused. */
    public static byte[] readKey(Path file) {
        try {
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (key.length < 32) {
                throw new IllegalStateException("anchor key " + file + " is shorter than 32 bytes");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read anchor key " + file, e);
        }
    }

    /** The bytes the tag covers: the canonical JSON of the envelope with {@code auth} left out. */
    public static byte[] signedBytes(EventEnvelope event, Function<EventEnvelope, String> toJson) {
        try {
            return new JsonCanonicalizer(toJson.apply(event.withAuth(null))).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException("event " + event.id() + " cannot be canonicalized", e);
        }
    }

    /** The tag of {@code bytes} under {@code key}. */
    public static String tag(byte[] key, byte[] bytes) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /** Whether {@code auth} is the tag of {@code bytes} under {@code key} (constant-time comparison). */
    public static boolean verify(byte[] key, byte[] bytes, String auth) {
        if (auth == null) {
            return false;
        }
        return MessageDigest.isEqual(tag(key, bytes).getBytes(StandardCharsets.US_ASCII),
                auth.getBytes(StandardCharsets.US_ASCII));
    }
}

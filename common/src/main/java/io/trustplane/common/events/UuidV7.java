package io.trustplane.common.events;

import java.security.SecureRandom;
import java.util.UUID;

/** RFC 9562 version 7 UUIDs: time-ordered, so event ids and record ids sort by creation time. */
public final class UuidV7 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private UuidV7() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    public static UUID at(long epochMillis) {
        long rand = RANDOM.nextLong();
        long msb = (epochMillis << 16) | 0x7000L | ((rand >>> 52) & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The creation time encoded in a version 7 UUID. */
    public static long epochMillis(UUID uuid) {
        return uuid.getMostSignificantBits() >>> 16;
    }
}

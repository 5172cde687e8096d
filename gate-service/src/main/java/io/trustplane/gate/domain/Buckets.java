package io.trustplane.gate.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Sticky rollout buckets: an agent's bucket for a flag is a stable hash in [0, 10000), and the agent is in the
 * cohort when its bucket is below the stage's share in basis points. Raising the share only adds agents.
 */
public final class Buckets {

    public static final int SCALE = 10_000;

    private Buckets() {
    }

    public static int bucket(String flag, String agentId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((flag + '\u0000' + agentId).getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
            return (int) (v % SCALE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean enabled(String flag, String agentId, int percent) {
        return bucket(flag, agentId) < percent * (SCALE / 100);
    }
}

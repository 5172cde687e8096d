package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the client gets the bearer token for each request: a fixed token, or one fetched again shortly before the
 * previous one expires (its JWT {@code exp} claim decides when).
 */
@FunctionalInterface
public interface TokenSupplier {

    /** The token to send now (without the {@code Bearer } prefix). */
    String token();

    /** Always the same token. */
    static TokenSupplier of(String token) {
        Objects.requireNonNull(token, "token");
        return () -> token;
    }

    /**
     * Calls {@code fetch} for the first token and again once the current one is within {@code refreshBefore} of its
     * {@code exp}; a token without a readable {@code exp} is fetched again on every call.
     */
    static TokenSupplier refreshing(Supplier<String> fetch, Duration refreshBefore) {
        return new Refreshing(fetch, refreshBefore, Clock.systemUTC());
    }

    /** The refreshing supplier; thread-safe, fetches at most once at a time. */
    final class Refreshing implements TokenSupplier {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Supplier<String> fetch;
        private final Duration refreshBefore;
        private final Clock clock;
        private String token;
        private Instant expiresAt = Instant.MIN;

        Refreshing(Supplier<String> fetch, Duration refreshBefore, Clock clock) {
            this.fetch = Objects.requireNonNull(fetch, "fetch");
            this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
            this.clock = clock;
        }

        @Override
        public synchronized String token() {
            if (token == null || !clock.instant().plus(refreshBefore).isBefore(expiresAt)) {
                token = Objects.requireNonNull(fetch.get(), "the token supplier returned null");
                expiresAt = expiry(token);
            }
            return token;
        }

        /** The {@code exp} claim of a JWT, or {@link Instant#MIN} when there is none to read. */
        static Instant expiry(String jwt) {
            String[] parts = jwt.split("\\.");
            if (parts.length < 2) {
                return Instant.MIN;
            }
            try {
                JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
                JsonNode exp = claims.path("exp");
                return exp.canConvertToLong() ? Instant.ofEpochSecond(exp.asLong()) : Instant.MIN;
            } catch (IOException | IllegalArgumentException e) {
                return Instant.MIN;
            }
        }
    }
}

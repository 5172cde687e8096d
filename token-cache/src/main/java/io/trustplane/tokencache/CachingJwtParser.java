package io.trustplane.tokencache;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.SecretKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies each distinct bearer token once and remembers the result until the token expires (or at most
 * {@code trustplane.auth.token-cache.max-age}), so an agent's repeated calls skip the RS256 check and claim parsing.
 *
 * <p>Why: profiling {@code GET /v1/stats} under load showed half of all CPU samples in jose4j (RSA verification,
 * base64 and JSON parsing of the same token over and over). Agents reuse one token for many calls, so the second
 * and later uses cost a map lookup. Only successful verifications are cached, keyed by the whole token string
 * (signature included), so a forged or altered token never matches; an entry dies at the token's {@code exp},
 * and the max age bounds how long a token signed by a rotated-out key keeps working (docs/security.md).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    private record Verified(JsonWebToken token, long validUntilEpochSecond) {
    }

    private final DefaultJWTParser delegate;
    private final TokenCacheConfig config;
    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    public CachingJwtParser(DefaultJWTParser delegate, TokenCacheConfig config) {
        this(delegate, config, Clock.systemUTC());
    }

    CachingJwtParser(DefaultJWTParser delegate, TokenCacheConfig config, Clock clock) {
        this.delegate = delegate;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (!config.enabled()) {
            return delegate.parse(token);
        }
        long now = clock.millis() / 1000;
        Verified hit = verified.get(token);
        if (hit != null) {
            if (now < hit.validUntilEpochSecond()) {
                return hit.token();
            }
            verified.remove(token, hit);
        }
        JsonWebToken jwt = delegate.parse(token); // throws for anything invalid: nothing cached
        long until = Math.min(jwt.getExpirationTime(), now + config.maxAge().toSeconds());
        if (until > now) {
            if (verified.size() >= config.maxEntries()) {
                evict(now);
            }
            verified.put(token, new Verified(jwt, until));
        }
        return jwt;
    }

    /** Drops expired entries; if the cache is still full (many live tokens), starts over rather than grow. */
    private void evict(long now) {
        verified.values().removeIf(v -> v.validUntilEpochSecond() <= now);
        if (verified.size() >= config.maxEntries()) {
            verified.clear();
        }
    }

    int size() {
        return verified.size();
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}

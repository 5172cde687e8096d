package io.trustplane.bench.costs;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.SecretKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SmallRye JWT's parser behind a bounded cache of verified tokens, keyed by the whole compact token (so the
 * signature covers the key) and valid until the token's own {@code exp}: a token seen again skips the RS256
 * signature check and the claim parsing. Quarkus' {@code MpJwtValidator} injects {@link JWTParser}, so this
 * {@code @Alternative} replaces it without touching the extension. Only the costs app uses it, to measure it.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    private record Verified(JsonWebToken token, long expiresAtSeconds) {
    }

    private final DefaultJWTParser delegate;
    private final boolean enabled;
    private final int maxEntries;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    public CachingJwtParser(JWTAuthContextInfo authContextInfo, CostsConfig config) {
        this.delegate = new DefaultJWTParser(authContextInfo);
        this.enabled = config.jwtCache().enabled();
        this.maxEntries = config.jwtCache().maxEntries();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (!enabled) {
            return delegate.parse(token);
        }
        long now = System.currentTimeMillis() / 1000;
        Verified hit = cache.get(token);
        if (hit != null) {
            if (now < hit.expiresAtSeconds()) {
                return hit.token();
            }
            cache.remove(token, hit);
        }
        JsonWebToken verified = delegate.parse(token); // throws for a bad signature, issuer or an expired token
        if (verified.getExpirationTime() > now && (cache.size() < maxEntries || evictExpired(now))) {
            cache.put(token, new Verified(verified, verified.getExpirationTime()));
        }
        return verified;
    }

    /** Drops expired entries; true when that made room. */
    private boolean evictExpired(long now) {
        for (Iterator<Verified> it = cache.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAtSeconds() <= now) {
                it.remove();
            }
        }
        return cache.size() < maxEntries;
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

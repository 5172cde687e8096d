package io.trustplane.tokencache;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtParserTest {

    private static KeyPair keys;
    private static KeyPair otherKeys;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        otherKeys = generator.generateKeyPair();
    }

    private static String token(KeyPair signer, String subject, long expEpochSecond) throws Exception {
        return token(signer, subject, expEpochSecond, null);
    }

    /** {@code iatEpochSecond}: when the token was issued (now when null). */
    private static String token(KeyPair signer, String subject, long expEpochSecond, Long iatEpochSecond)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("trustplane");
        claims.setSubject(subject);
        claims.setClaim("upn", subject);
        claims.setStringListClaim("groups", List.of("agent"));
        if (iatEpochSecond == null) {
            claims.setIssuedAtToNow();
        } else {
            claims.setClaim("iat", iatEpochSecond);
        }
        claims.setClaim("exp", expEpochSecond);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static TokenCacheConfig config(boolean enabled, int max, Duration maxAge) {
        return new TokenCacheConfig() {
            public boolean enabled() { return enabled; }
            public int maxEntries() { return max; }
            public Duration maxAge() { return maxAge; }
        };
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.now();
        public ZoneOffset getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now; }
    }

    private static DefaultJWTParser verifier() {
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.getPublic(), "trustplane");
        return new DefaultJWTParser(info);
    }

    @Test
    void aVerifiedTokenIsServedFromTheCacheUntilItExpires() throws Exception {
        MutableClock clock = new MutableClock();
        CachingJwtParser parser = new CachingJwtParser(verifier(), config(true, 100, Duration.ofMinutes(5)), clock);
        long exp = clock.now.getEpochSecond() + 120;
        String token = token(keys, "agent-7", exp);

        var first = parser.parse(token);
        assertThat(parser.parse(token)).isSameAs(first);
        assertThat(first.getSubject()).isEqualTo("agent-7");

        clock.now = Instant.ofEpochSecond(exp);
        // past exp the cached entry is dropped and the real verifier decides again
        assertThat(parser.parse(token)).isNotSameAs(first);
        // a token the verifier finds expired is refused and never cached
        String expired = token(keys, "agent-8", Instant.now().getEpochSecond() - 3600);
        assertThatThrownBy(() -> parser.parse(expired)).isInstanceOf(ParseException.class);
    }

    @Test
    void aTokenPastItsExpBeyondTheConfiguredSkewIsRefusedAndNothingExpiredIsServedFromTheCache() throws Exception {
        // issue 18.6: SmallRye's default skew (60 s) let a token 30 s past exp through; the services set 5 s
        // (mp.jwt.verify.clock.skew) and the cache must never stretch it
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.getPublic(), "trustplane");
        info.setClockSkew(5);
        CachingJwtParser parser = new CachingJwtParser(new DefaultJWTParser(info), config(true, 100,
                Duration.ofMinutes(5)), Clock.systemUTC());
        long now = Instant.now().getEpochSecond();
        assertThatThrownBy(() -> parser.parse(token(keys, "agent-late", now - 30, now - 330)))
                .isInstanceOf(ParseException.class);
        assertThat(parser.size()).isZero();
        // inside the skew the verifier still admits it, but it is not cached past its exp
        assertThat(parser.parse(token(keys, "agent-skew", now - 1, now - 301)).getSubject()).isEqualTo("agent-skew");
        assertThat(parser.size()).isZero();
        // with SmallRye's default skew the same late token would have passed: the setting is what refuses it
        JWTAuthContextInfo lenient = new JWTAuthContextInfo(keys.getPublic(), "trustplane");
        assertThat(new DefaultJWTParser(lenient).parse(token(keys, "agent-late", now - 30, now - 330)).getSubject())
                .isEqualTo("agent-late");
    }

    @Test
    void anAlteredOrForeignTokenNeverMatchesACachedOne() throws Exception {
        CachingJwtParser parser = new CachingJwtParser(verifier(), config(true, 100, Duration.ofMinutes(5)));
        long exp = Instant.now().getEpochSecond() + 120;
        String good = token(keys, "agent-7", exp);
        parser.parse(good);

        String tampered = good.substring(0, good.length() - 3) + (good.endsWith("AAA") ? "BBB" : "AAA");
        assertThatThrownBy(() -> parser.parse(tampered)).isInstanceOf(ParseException.class);
        String foreign = token(otherKeys, "agent-7", exp);
        assertThatThrownBy(() -> parser.parse(foreign)).isInstanceOf(ParseException.class);
        assertThat(parser.size()).isEqualTo(1);
    }

    @Test
    void maxAgeBoundsTrustInALongLivedToken() throws Exception {
        MutableClock clock = new MutableClock();
        CachingJwtParser parser = new CachingJwtParser(verifier(), config(true, 100, Duration.ofSeconds(30)), clock);
        String token = token(keys, "agent-7", clock.now.getEpochSecond() + 3600);
        var first = parser.parse(token);
        clock.now = clock.now.plusSeconds(31);
        assertThat(parser.parse(token)).isNotSameAs(first); // verified again
    }

    @Test
    void theCacheStaysBoundedAndCanBeSwitchedOff() throws Exception {
        long exp = Instant.now().getEpochSecond() + 120;
        CachingJwtParser bounded = new CachingJwtParser(verifier(), config(true, 3, Duration.ofMinutes(5)));
        for (int i = 0; i < 10; i++) {
            bounded.parse(token(keys, "agent-" + i, exp));
        }
        assertThat(bounded.size()).isLessThanOrEqualTo(3);

        CachingJwtParser off = new CachingJwtParser(verifier(), config(false, 3, Duration.ofMinutes(5)));
        String token = token(keys, "agent-1", exp);
        assertThat(off.parse(token)).isNotSameAs(off.parse(token));
        assertThat(off.size()).isZero();
    }
}

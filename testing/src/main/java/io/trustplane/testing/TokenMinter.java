package io.trustplane.testing;

import io.smallrye.jwt.build.Jwt;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Mints RS256 bearer tokens the services accept: issuer {@code trustplane}, {@code sub} the caller id,
 * {@code groups} its roles. Also mints the broken tokens access tests need.
 */
public final class TokenMinter {

    public static final String ISSUER = "trustplane";

    private final PrivateKey key;

    public TokenMinter(PrivateKey key) {
        this.key = key;
    }

    public String mint(String subject, Duration ttl, String... groups) {
        return mint(ISSUER, subject, Instant.now().plus(ttl), groups);
    }

    public String mint(String subject, String... groups) {
        return mint(subject, Duration.ofHours(1), groups);
    }

    public String mint(String issuer, String subject, Instant expiresAt, String... groups) {
        Set<String> roles = new LinkedHashSet<>(List.of(groups));
        Instant now = Instant.now();
        return Jwt.issuer(issuer)
                .subject(subject)
                .upn(subject)
                .groups(roles)
                .issuedAt(now.isAfter(expiresAt) ? expiresAt.minusSeconds(60) : now)
                .expiresAt(expiresAt)
                .jws().keyId("trustplane-dev")
                .sign(key);
    }

    public String agent(String agentId) {
        return mint(agentId, "agent");
    }

    public String operator() {
        return mint("operator-1", "operator");
    }

    public String admin() {
        return mint("admin-1", "admin");
    }

    public String service() {
        return mint("svc-trustplane", "service");
    }

    public String expired(String subject, String... groups) {
        return mint(ISSUER, subject, Instant.now().minusSeconds(3600), groups);
    }

    public String wrongIssuer(String subject, String... groups) {
        return mint("someone-else", subject, Instant.now().plusSeconds(3600), groups);
    }

    /** An unsigned token ({@code alg: none}) carrying the given claims: must always be refused. */
    public static String unsigned(String subject, String... groups) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"exp\":" + exp
                + ",\"groups\":[" + String.join(",", List.of(groups).stream().map(g -> "\"" + g + "\"").toList())
                + "]}";
        return header + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }
}

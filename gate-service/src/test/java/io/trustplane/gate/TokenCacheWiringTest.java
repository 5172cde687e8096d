package io.trustplane.gate;

import io.trustplane.gate.rest.GateTestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.trustplane.tokencache.CachingJwtParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verified-token cache lives in its own module (so the costs benchmark measures the shipped class) and
 * reaches the services through common: this checks that Quarkus still discovers it and SmallRye JWT gets it.
 */
@QuarkusTest
class TokenCacheWiringTest extends GateTestSupport {

    @Inject
    JWTParser parser;

    @Test
    void smallryeJwtParsesThroughTheTokenCache() {
        assertThat(parser).isInstanceOf(CachingJwtParser.class);
    }
}

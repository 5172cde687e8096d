package io.trustplane.gate.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.trustplane.testing.TokenMinter;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Per-caller rate limits (common's RateLimitFilter) with tiny limits: headers on every limited answer, 429
 * problem+json with Retry-After once the burst is spent, separate budgets per verified caller, unauthenticated
 * requests limited by address (a forged token cannot spend its subject's budget), the service role and /q/* exempt.
 */
@QuarkusTest
@TestProfile(RateLimitResourceTest.TinyLimits.class)
class RateLimitResourceTest extends GateTestSupport {

    /** One request per 1000 s: nothing refills while the test runs. */
    public static class TinyLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "trustplane.rate-limit.roles.agent.requests-per-second", "0.001",
                    "trustplane.rate-limit.roles.agent.burst", "3",
                    "trustplane.rate-limit.roles.operator.requests-per-second", "0.001",
                    "trustplane.rate-limit.roles.operator.burst", "5",
                    "trustplane.rate-limit.anonymous.requests-per-second", "0.001",
                    "trustplane.rate-limit.anonymous.burst", "2");
        }
    }

    private static Response whoami(String token) {
        return (token == null ? given() : given().auth().oauth2(token)).get("/v1/whoami");
    }

    @Test
    void aCallerGetsItsBurstWithHeadersThenA429ProblemWithRetryAfter() {
        String token = agent(unique("limited"));
        for (int remaining = 2; remaining >= 0; remaining--) {
            whoami(token).then().statusCode(200)
                    .header("X-RateLimit-Limit", "3")
                    .header("X-RateLimit-Remaining", Integer.toString(remaining))
                    .header("X-RateLimit-Reset", org.hamcrest.Matchers.notNullValue());
        }
        Response refused = whoami(token);
        refused.then().statusCode(429).contentType("application/problem+json")
                .header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "0")
                .body("status", equalTo(429)).body("code", equalTo("rate_limited"))
                .body("instance", equalTo("/v1/whoami"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertThat(retryAfter).as("one token every 1000 s").isBetween(900, 1000);
        assertThat(refused.header("X-RateLimit-Reset")).isEqualTo(refused.header("Retry-After"));
        // another agent and an operator have budgets of their own, sized by role
        whoami(agent(unique("other"))).then().statusCode(200).header("X-RateLimit-Remaining", "2");
        whoami(operator()).then().statusCode(200)
                .header("X-RateLimit-Limit", "5");
    }

    @Test
    void forgedTokensAreLimitedByAddressAndCannotSpendTheirSubjectsBudget() throws Exception {
        String victim = unique("victim");
        var pair = KeyPairGenerator.getInstance("RSA");
        pair.initialize(2048);
        String forged = new TokenMinter(pair.generateKeyPair().getPrivate()).agent(victim);
        whoami(forged).then().statusCode(401).contentType("application/problem+json")
                .header("X-RateLimit-Limit", "2").header("X-RateLimit-Remaining", "1");
        whoami(TokenMinter.unsigned(victim, "agent")).then().statusCode(401).header("X-RateLimit-Remaining", "0");
        whoami(null).then().statusCode(429).contentType("application/problem+json").body("code", equalTo("rate_limited"));
        whoami(forged).then().statusCode(429);
        // the victim's own budget is untouched
        whoami(agent(victim)).then().statusCode(200).header("X-RateLimit-Remaining", "2");
        // health, metrics and OpenAPI are never limited, even for an address that spent its budget
        for (int i = 0; i < 5; i++) {
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/q/openapi").then().statusCode(200);
        }
    }

    @Test
    void theServiceRoleIsExempt() {
        for (int i = 0; i < 10; i++) {
            Response r = whoami(service());
            r.then().statusCode(200);
            assertThat(r.header("X-RateLimit-Limit")).isNull();
        }
    }
}

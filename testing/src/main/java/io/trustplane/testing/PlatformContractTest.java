package io.trustplane.testing;

import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * What every Trustplane service promises an operator and a caller, whatever its domain: health, metrics,
 * OpenAPI and Swagger UI are served; {@code /v1} routes need a valid bearer token with a Trustplane role;
 * failures are problem+json. Each service runs it as {@code class PlatformTest extends PlatformContractTest}.
 */
public abstract class PlatformContractTest {

    protected abstract String serviceName();

    @Test
    void healthIsUpWhenPostgresAndRedisAreReachable() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Redis")))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void metricsOpenApiAndSwaggerAreServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("openapi", startsWith("3."));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void aValidTokenIsAcceptedAndNamesTheCaller() {
        given().auth().oauth2(TestKeys.tokens().agent("agent-7"))
                .when().get("/v1/whoami")
                .then().statusCode(200)
                .body("subject", equalTo("agent-7"))
                .body("roles", hasItem("agent"))
                .body("service", equalTo(serviceName()));
    }

    @Test
    void noTokenIs401ProblemJson() {
        given().when().get("/v1/whoami")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("code", equalTo("unauthenticated"));
    }

    @Test
    void brokenTokensAre401() {
        TokenMinter minter = TestKeys.tokens();
        for (String token : new String[] {
                minter.expired("agent-7", "agent"),
                minter.wrongIssuer("agent-7", "agent"),
                DevKeys.temporary().minter().agent("agent-7"), // signed by a key the service does not trust
                TokenMinter.unsigned("agent-7", "admin"),
                "not-a-jwt"}) {
            given().auth().oauth2(token).when().get("/v1/whoami")
                    .then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void aTokenWithoutATrustplaneRoleIs403ProblemJson() {
        given().auth().oauth2(TestKeys.tokens().mint("stranger", "visitor"))
                .when().get("/v1/whoami")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("forbidden"));
    }

    @Test
    void unknownRoutesAreProblemJsonNotStackTraces() {
        given().auth().oauth2(TestKeys.tokens().admin())
                .when().get("/v1/does-not-exist")
                .then().statusCode(404)
                .body(org.hamcrest.Matchers.not(containsString("Exception")));
        RestAssured.reset();
    }
}

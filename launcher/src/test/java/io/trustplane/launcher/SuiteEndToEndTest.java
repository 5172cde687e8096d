package io.trustplane.launcher;

import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Starts the whole suite through the launcher's own code (embedded PostgreSQL and Redis, the four packaged
 * services as child processes), checks that every service is ready and enforces its tokens, then stops
 * everything and checks that nothing is left running.
 */
class SuiteEndToEndTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theWholeSuiteStartsAcceptsItsTokensAndStopsCleanly() throws Exception {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged before the launcher's tests run (the reactor "
                    + "builds the services first; alone: ./mvnw -DskipTests package)", spec.name()).isRegularFile();
        }
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        Path state = Files.createTempDirectory("trustplane-e2e");
        Suite.Config config = new Suite.Config(ROOT, state, ports, false, System.getenv(), Duration.ofSeconds(240));

        List<ProcessHandle> started = new ArrayList<>();
        try (Suite suite = Suite.start(config)) {
            TokenMinter tokens = suite.keys().minter();
            for (Suite.Running service : suite.services()) {
                started.add(service.process().toHandle());
                given().baseUri(service.url()).when().get("/q/health/ready")
                        .then().statusCode(200).body("status", equalTo("UP"));
                given().baseUri(service.url()).auth().oauth2(tokens.agent("agent-7"))
                        .when().get("/v1/whoami")
                        .then().statusCode(200)
                        .body("subject", equalTo("agent-7"))
                        .body("service", equalTo(service.spec().name()));
                given().baseUri(service.url()).when().get("/v1/whoami")
                        .then().statusCode(401).contentType("application/problem+json");
                given().baseUri(service.url()).auth().oauth2(tokens.mint("stranger", "visitor"))
                        .when().get("/v1/whoami")
                        .then().statusCode(403).contentType("application/problem+json");
            }
        }
        for (ProcessHandle p : started) {
            assertThat(p.isAlive()).as("service process %d stopped", p.pid()).isFalse();
        }
        for (int port : ports.values()) {
            assertThat(Suite.inUse(port)).as("port %d released", port).isFalse();
        }
    }
}

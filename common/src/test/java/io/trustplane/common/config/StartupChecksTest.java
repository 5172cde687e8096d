package io.trustplane.common.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StartupChecksTest {

    @Test
    void aMissingKeyFileIsNamed() {
        assertThat(StartupChecks.problemWith("/nonexistent/jwt-public.pem"))
                .hasValue("key file /nonexistent/jwt-public.pem does not exist");
        assertThat(StartupChecks.problemWith("file:/nonexistent/jwt-public.pem"))
                .hasValue("key file /nonexistent/jwt-public.pem does not exist");
    }

    @Test
    void anExistingFileOrARemoteLocationPasses() throws Exception {
        Path file = Files.createTempFile("key", ".pem");
        assertThat(StartupChecks.problemWith(file.toString())).isEmpty();
        assertThat(StartupChecks.problemWith(file.toUri().toString())).isEmpty();
        assertThat(StartupChecks.problemWith("https://issuer.example/jwks")).isEmpty();
    }
}

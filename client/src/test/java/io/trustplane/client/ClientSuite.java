package io.trustplane.client;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged suite, started once for all the client's test classes (a JUnit parameter; stopped with the root
 * context). Leases may be renewed 15 times here, so that keeping one alive for several short TTLs and reaching the
 * limit both fit in a few seconds.
 */
final class ClientSuite implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final int MAX_RENEWALS = 15;

    private final Suite suite;

    private ClientSuite(Suite suite) {
        this.suite = suite;
    }

    static ClientSuite start() {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged first (the reactor builds it before this module)",
                    spec.name()).isRegularFile();
        }
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        try {
            Path state = Files.createTempDirectory("trustplane-client");
            return new ClientSuite(Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(),
                    Duration.ofSeconds(240)), Map.of("trustplane.lease.max-renewals", Integer.toString(MAX_RENEWALS))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(ServiceSpec spec) {
        return suite.service(spec).url();
    }

    TokenMinter tokens() {
        return suite.keys().minter();
    }

    /** A client for {@code token} against the suite's four services. */
    TrustplaneClient client(String token) {
        return builder(token).build();
    }

    TrustplaneClient.Builder builder(String token) {
        return TrustplaneClient.builder()
                .lease(url(ServiceSpec.byName("lease"))).provenance(url(ServiceSpec.byName("provenance")))
                .gate(url(ServiceSpec.byName("gate"))).telemetry(url(ServiceSpec.byName("telemetry")))
                .token(token);
    }

    @Override
    public void close() {
        suite.close();
    }

    /** Starts the suite on first use and hands it to every test that declares it as a parameter. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClientSuite.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ClientSuite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // a suite that failed to start is not started again for every test: they all fail with its cause
            Object suite = context.getRoot().getStore(NS).computeIfAbsent("suite", k -> {
                try {
                    return start();
                } catch (RuntimeException | AssertionError e) {
                    return new IllegalStateException("the suite did not start", e);
                }
            });
            if (suite instanceof IllegalStateException failed) {
                throw failed;
            }
            return suite;
        }
    }
}

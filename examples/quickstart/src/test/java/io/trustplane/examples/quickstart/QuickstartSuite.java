package io.trustplane.examples.quickstart;

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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged suite with shipped settings, as {@code ./trustplane up} runs it, started once for every test class of
 * this module (a JUnit parameter; stopped with the root context).
 */
final class QuickstartSuite implements AutoCloseable {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);

    private final Suite suite;

    private QuickstartSuite(Suite suite) {
        this.suite = suite;
    }

    static QuickstartSuite start() {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged first (the reactor builds it before this module)",
                    spec.name()).isRegularFile();
        }
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        try {
            Path state = Files.createTempDirectory("trustplane-quickstart");
            return new QuickstartSuite(Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(),
                    Duration.ofSeconds(240))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    String url(String service) {
        return suite.service(ServiceSpec.byName(service)).url();
    }

    TokenMinter tokens() {
        return suite.keys().minter();
    }

    /** The settings the doc tells a reader to export, for a fresh agent and task. */
    Quickstart.Settings settings(String agent, String task) {
        return new Quickstart.Settings(url("lease"), url("provenance"), url("gate"), url("telemetry"),
                tokens().operator(), tokens().agent(agent), agent, task, null, Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        suite.close();
    }

    /** Starts the suite on first use and hands it to every test that declares it as a parameter. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(QuickstartSuite.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == QuickstartSuite.class;
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

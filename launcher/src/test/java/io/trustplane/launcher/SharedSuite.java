package io.trustplane.launcher;

import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged suite, started once for every test class of a module that takes it as a JUnit parameter, and stopped
 * with the root context. A module subclasses it for its own settings and helpers (client, quickstart, MCP) and names
 * its {@link Resolver} in {@code @ExtendWith}; the launcher's test jar carries it to them.
 */
public abstract class SharedSuite implements AutoCloseable {

    /** The checkout: the nearest directory at or above the working directory that holds the launcher module. */
    public static final Path ROOT = root();

    private final Suite suite;

    /**
     * Starts the four services, then {@code extra} (e.g. the MCP endpoint), each on a free port, with
     * {@code properties} set on every service; {@code name} names the state directory.
     */
    protected SharedSuite(String name, List<ServiceSpec> extra, Map<String, String> properties) {
        List<ServiceSpec> specs = new ArrayList<>(ServiceSpec.ALL);
        specs.addAll(extra);
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec spec : specs) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged first (the reactor builds it before this module)",
                    spec.name()).isRegularFile();
            ports.put(spec, Infrastructure.freePort());
        }
        try {
            Path state = Files.createTempDirectory("trustplane-" + name);
            this.suite = Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(),
                    Duration.ofSeconds(240)), properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(ServiceSpec spec) {
        return suite.service(spec).url();
    }

    /** The base URL of a service by its short name (lease, provenance, gate, telemetry, mcp). */
    public String url(String service) {
        return url(ServiceSpec.byName(service));
    }

    public TokenMinter tokens() {
        return suite.keys().minter();
    }

    @Override
    public void close() {
        suite.close();
    }

    /** After a suite stopped: none of its service processes still runs, and every port it used is free again. */
    public static void assertStopped(Collection<ProcessHandle> processes, Collection<Integer> ports) {
        for (ProcessHandle p : processes) {
            assertThat(p.isAlive()).as("service process %d stopped", p.pid()).isFalse();
        }
        for (int port : ports) {
            assertThat(Suite.inUse(port)).as("port %d released", port).isFalse();
        }
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("launcher/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no Trustplane checkout at or above " + Path.of("").toAbsolutePath());
    }

    /**
     * Starts the module's suite on first use and hands it to every test that declares its type as a parameter. A
     * module's subclass of the suite has a nested {@code Extension extends Resolver<ItsSuite>}; a module with a suite
     * holder of its own (e2e, conformance) uses {@link EagerResolver}.
     */
    public abstract static class Resolver<T> implements ParameterResolver {

        private final Class<T> type;
        private final Supplier<T> start;

        protected Resolver(Class<T> type, Supplier<T> start) {
            this.type = type;
            this.start = start;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == type;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return suite(context);
        }

        /** The suite of the root context, started by the first caller. */
        protected T suite(ExtensionContext context) {
            // a suite that failed to start is not started again for every test: they all fail with its cause
            ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(type));
            Object suite = store.computeIfAbsent("suite", k -> {
                try {
                    return start.get();
                } catch (RuntimeException | AssertionError e) {
                    return new IllegalStateException("the suite did not start", e);
                }
            });
            if (suite instanceof IllegalStateException failed) {
                throw failed;
            }
            return type.cast(suite);
        }
    }

    /**
     * A {@link Resolver} that starts the suite before the first test class that uses it (so its start is not counted
     * in a test's time or timeout), from a start that may throw.
     */
    public abstract static class EagerResolver<T> extends Resolver<T> implements BeforeAllCallback {

        protected EagerResolver(Class<T> type, Callable<T> start) {
            super(type, () -> {
                try {
                    return start.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public void beforeAll(ExtensionContext context) {
            suite(context);
        }
    }
}

package io.trustplane.conformance;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.SharedSuite;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TokenMinter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole suite, started once for every conformance test class (JUnit extension; stopped when the last class is
 * done, and then no process or port may be left): the four packaged services on random ports, their OpenAPI
 * operations, the MCP endpoint in front of them (as {@code ./trustplane up} runs it), tokens, and every bearer value
 * the tests sent (the log scan looks for them).
 */
final class Conformance implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** One running service as the tests see it. */
    record Service(ServiceSpec spec, int port, Path log, OpenApi api, List<OpenApi.Operation> operations, RawHttp http,
            ProcessHandle process) {
        String name() {
            return spec.name();
        }
    }

    private final Suite suite;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final List<String> authorizationValues = Collections.synchronizedList(new ArrayList<>());
    private McpHttp mcp;
    private int mcpPort;
    private Path mcpLog;
    private final Observations observations = new Observations();
    private final TokenMinter minter;
    private final TokenMinter forger;
    private final List<ProcessHandle> processes = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Stops the suite even when the test JVM is ended early (Ctrl-C, a killed fork). */
    private final Thread hook = new Thread(this::stop, "conformance-suite-stop");

    private Conformance(Suite suite) {
        this.suite = suite;
        Runtime.getRuntime().addShutdownHook(hook);
        this.minter = suite.keys().minter();
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            this.forger = new TokenMinter(rsa.generateKeyPair().getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Suite.Running r : suite.services()) {
            processes.add(r.process().toHandle());
            if (r.spec().equals(ServiceSpec.MCP)) {
                // no OpenAPI of its own: one JSON-RPC route, held to its contract by McpConformanceTest
                mcp = new McpHttp(r.url() + "/mcp", authorizationValues);
                mcpPort = r.port();
                mcpLog = r.log();
                continue;
            }
            RawHttp http = new RawHttp(r.port(), authorizationValues, observations);
            RawHttp.Response doc = http.send(new RawHttp.Request("GET", "/q/openapi?format=json", List.of(), null, false),
                    false);
            assertThat(doc.status()).as("%s serves its OpenAPI", r.spec().name()).isEqualTo(200);
            OpenApi api = OpenApi.parse(doc.text());
            services.put(r.spec().shortName(), new Service(r.spec(), r.port(), r.log(), api,
                    api.operations(r.spec().name()), http, r.process().toHandle()));
        }
    }

    static Conformance start() throws IOException {
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        ports.put(ServiceSpec.MCP, Infrastructure.freePort());
        for (ServiceSpec spec : ports.keySet()) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged first (the reactor builds it before this module)",
                    spec.name()).isRegularFile();
        }
        Path state = Files.createTempDirectory("trustplane-conformance");
        return new Conformance(Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(),
                Duration.ofSeconds(240))));
    }

    List<Service> services() {
        return List.copyOf(services.values());
    }

    /** The MCP endpoint ({@code /mcp}), spoken to over plain HTTP. */
    McpHttp mcp() {
        return mcp;
    }

    Path mcpLog() {
        return mcpLog;
    }

    Service service(String shortName) {
        return services.get(shortName);
    }

    TokenMinter minter() {
        return minter;
    }

    /** Signs like the real issuer, with a key the services do not trust. */
    TokenMinter forger() {
        return forger;
    }

    PgEndpoint postgres() {
        return suite.infrastructure().postgres();
    }

    /** Every answer any test saw, by the port of the service that gave it. */
    Observations observations() {
        return observations;
    }

    /** Every Authorization header value any test sent, in order. */
    List<String> authorizationValues() {
        synchronized (authorizationValues) {
            return List.copyOf(authorizationValues);
        }
    }

    /** The PEM texts of the private keys the suite runs with: they must never reach a log. */
    List<String> privateKeyPems() throws IOException {
        return List.of(Files.readString(suite.keys().jwtPrivateKeyFile(), StandardCharsets.UTF_8),
                Files.readString(suite.keys().logSigningKeyFile(), StandardCharsets.UTF_8));
    }

    private void stop() {
        if (closed.compareAndSet(false, true)) {
            suite.close();
        }
    }

    @Override
    public void close() {
        List<Integer> ports = new ArrayList<>(services.values().stream().map(Service::port).toList());
        ports.add(mcpPort);
        Runtime.getRuntime().removeShutdownHook(hook);
        stop();
        SharedSuite.assertStopped(processes, ports);
    }

    /** Starts the suite before the first test class that declares it as a parameter and hands it to every one. */
    static final class Extension extends SharedSuite.EagerResolver<Conformance> {

        Extension() {
            super(Conformance.class, Conformance::start);
        }
    }
}

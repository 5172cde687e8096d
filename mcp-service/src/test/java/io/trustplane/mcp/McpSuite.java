package io.trustplane.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.trustplane.client.TrustplaneClient;
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
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged suite with this module's packaged MCP endpoint in front of it, as {@code ./trustplane up} runs them,
 * started once for every test class of the module (a JUnit parameter; stopped with the root context).
 */
final class McpSuite implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final Suite suite;

    private McpSuite(Suite suite) {
        this.suite = suite;
    }

    static McpSuite start() {
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        ports.put(ServiceSpec.MCP, Infrastructure.freePort());
        for (ServiceSpec spec : ports.keySet()) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged first", spec.name()).isRegularFile();
        }
        try {
            Path state = Files.createTempDirectory("trustplane-mcp");
            return new McpSuite(Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(),
                    Duration.ofSeconds(240))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String service) {
        return suite.service(ServiceSpec.byName(service)).url();
    }

    String mcpUrl() {
        return url("mcp") + "/mcp";
    }

    TokenMinter tokens() {
        return suite.keys().minter();
    }

    /** A REST client of the four services, to check what the tools did. */
    TrustplaneClient rest(String token) {
        return TrustplaneClient.builder().lease(url("lease")).provenance(url("provenance")).gate(url("gate"))
                .telemetry(url("telemetry")).token(token).build();
    }

    /** An initialised MCP client (the MCP Java SDK's) that sends the token {@code token} gives at each request. */
    McpSyncClient mcp(Supplier<String> token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(url("mcp"))
                .endpoint("/mcp")
                .httpRequestCustomizer((builder, method, uri, body, context) ->
                        builder.header("Authorization", "Bearer " + token.get()))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    @Override
    public void close() {
        suite.close();
    }

    /** Starts the suite on first use and hands it to every test that declares it as a parameter. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(McpSuite.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == McpSuite.class;
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

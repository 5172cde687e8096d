package io.trustplane.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.trustplane.client.TrustplaneClient;
import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.SharedSuite;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The packaged suite with this module's packaged MCP endpoint in front of it, as {@code ./trustplane up} runs them,
 * started once for every test class of the module (see {@link SharedSuite}).
 */
final class McpSuite extends SharedSuite {

    private McpSuite() {
        super("mcp", List.of(ServiceSpec.MCP), Map.of());
    }

    String mcpUrl() {
        return url("mcp") + "/mcp";
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

    /** Starts the suite on first use and hands it to every test that declares it as a parameter. */
    static final class Extension extends Resolver<McpSuite> {
        Extension() {
            super(McpSuite.class, McpSuite::new);
        }
    }
}

package io.trustplane.mcp;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.trustplane.client.Model;
import io.trustplane.client.TrustplaneClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures (asserts nothing about time) what an MCP tool call adds over the same REST call: {@code check_action}
 * through the MCP endpoint against {@code POST /v1/role-gates/evaluate} with the Java client, sequential calls,
 * three alternating rounds after a warm-up; prints p50/p99 per round and the medians. Run on demand:
 * {@code ./mvnw -pl mcp-service -am verify -Dit.test=McpLatencyIT -Dmcp.latency=true}.
 */
@ExtendWith(McpSuite.Extension.class)
@EnabledIfSystemProperty(named = "mcp.latency", matches = "true")
class McpLatencyIT {

    private static final int WARMUP = 200;
    private static final int CALLS = 500;
    private static final int ROUNDS = 3;

    @Test
    void mcpToolCallOverheadAgainstTheDirectRestCall(McpSuite suite) throws Exception {
        String token = suite.tokens().operator();
        Model.Evaluation evaluation = new Model.Evaluation("dev", "deployer", null,
                new Model.Evaluation.Context("repo:bench", "deploy"));
        Map<String, Object> args = Map.of("role", "deployer", "action", "deploy", "resourceId", "repo:bench");
        List<String> lines = new ArrayList<>();
        double[][] mcpP = new double[ROUNDS][];
        double[][] restP = new double[ROUNDS][];
        try (McpSyncClient mcp = suite.mcp(() -> token); TrustplaneClient rest = suite.rest(token)) {
            for (int i = 0; i < WARMUP; i++) {
                mcpCall(mcp, args);
                rest.gate().evaluate(evaluation);
            }
            for (int r = 0; r < ROUNDS; r++) {
                long[] m = new long[CALLS];
                for (int i = 0; i < CALLS; i++) {
                    long t0 = System.nanoTime();
                    mcpCall(mcp, args);
                    m[i] = System.nanoTime() - t0;
                }
                long[] d = new long[CALLS];
                for (int i = 0; i < CALLS; i++) {
                    long t0 = System.nanoTime();
                    rest.gate().evaluate(evaluation);
                    d[i] = System.nanoTime() - t0;
                }
                mcpP[r] = percentiles(m);
                restP[r] = percentiles(d);
                lines.add(String.format("round %d: MCP p50 %.2f ms p99 %.2f ms | REST p50 %.2f ms p99 %.2f ms",
                        r + 1, mcpP[r][0], mcpP[r][1], restP[r][0], restP[r][1]));
            }
        }
        lines.add(String.format("median of %d rounds of %d calls: MCP p50 %.2f ms p99 %.2f ms | REST p50 %.2f ms p99 %.2f ms"
                        + " | added p50 %.2f ms p99 %.2f ms", ROUNDS, CALLS, median(mcpP, 0), median(mcpP, 1),
                median(restP, 0), median(restP, 1), median(mcpP, 0) - median(restP, 0), median(mcpP, 1) - median(restP, 1)));
        lines.add("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        lines.forEach(System.out::println);
        Files.write(Path.of("target/mcp-latency.txt"), lines);
    }

    private static void mcpCall(McpSyncClient mcp, Map<String, Object> args) {
        McpSchema.CallToolResult r = mcp.callTool(new McpSchema.CallToolRequest("check_action", args));
        assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
    }

    private static double[] percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new double[] {s[(int) Math.ceil(0.50 * s.length) - 1] / 1e6, s[(int) Math.ceil(0.99 * s.length) - 1] / 1e6};
    }

    private static double median(double[][] rounds, int which) {
        double[] v = new double[rounds.length];
        for (int i = 0; i < rounds.length; i++) {
            v[i] = rounds[i][which];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }
}

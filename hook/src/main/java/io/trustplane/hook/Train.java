package io.trustplane.hook;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The training run behind the hook's class-data archive (a JDK 25 AOT cache, or AppCDS on older JDKs): runs the hook
 * the way a runtime does, both shapes, pre and post, against a loopback stand-in that answers like the guard, so the
 * archive holds every class a real invocation loads. Used only when the hook is installed.
 */
public final class Train {

    private Train() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = exchange.getRequestURI().getPath().endsWith("/generic")
                    ? "{\"decision\":\"allow\",\"reason\":\"training\"}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\","
                            + "\"permissionDecisionReason\":\"training\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("TRUSTPLANE_GATE_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "TRUSTPLANE_TOKEN", "training");
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            String[][] events = {
                {"claude-code", "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\",\"tool_input\":{}}"},
                {"claude-code", "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Read\",\"tool_input\":{}}"},
                {"generic", "{\"event\":\"pre\",\"tool\":\"read_file\",\"arguments\":{}}"},
            };
            for (int i = 0; i < 20; i++) {
                for (String[] e : events) {
                    Hook.run(new String[] {e[0]}, new ByteArrayInputStream(e[1].getBytes(StandardCharsets.UTF_8)),
                            sink, sink, env);
                }
            }
        } finally {
            server.stop(0);
        }
    }
}

package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MCP endpoint spoken to over plain HTTP (Streamable HTTP transport: JSON-RPC in a POST, the answer as JSON or
 * as one server-sent event), so the tests see exactly what a client would: statuses, session ids, JSON-RPC errors
 * and tool results. Every Authorization value it sends is remembered, for the log scan.
 */
final class McpHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROTOCOL = "2025-06-18";

    /** One answer: the HTTP status and, when there was one, the JSON-RPC message. */
    record Answer(int status, JsonNode message, String body) {

        boolean isToolError() {
            return message != null && message.path("result").path("isError").asBoolean(false);
        }

        /** The JSON-RPC error code (-32603 internal, -32602 invalid params, ...), or 0 when there is none. */
        int rpcError() {
            return message == null ? 0 : message.path("error").path("code").asInt(0);
        }

        /** The text of the tool result's first content item. */
        String text() {
            return message == null ? "" : message.path("result").path("content").path(0).path("text").asText("");
        }
    }

    private final String url;
    private final List<String> authorizationValues;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong ids = new AtomicLong();

    McpHttp(String url, List<String> authorizationValues) {
        this.url = url;
        this.authorizationValues = authorizationValues;
    }

    /** Opens a session as {@code token}; returns its id (the initialize answer must be 200 with one). */
    String open(String token) {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", PROTOCOL);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "conformance").put("version", "1");
        HttpResponse<String> r = post(token, null, request("initialize", params));
        String session = r.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException(
                "initialize answered " + r.statusCode() + " without a session: " + r.body()));
        post(token, session, JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
        return session;
    }

    /** initialize, as a client would send it first. */
    Answer initialize(String token) {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", PROTOCOL);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "conformance").put("version", "1");
        return answer(post(token, null, request("initialize", params)));
    }

    Answer listTools(String token, String session) {
        return answer(post(token, session, request("tools/list", JSON.createObjectNode())));
    }

    Answer callTool(String token, String session, String tool, JsonNode arguments) {
        ObjectNode params = JSON.createObjectNode().put("name", tool);
        params.set("arguments", arguments);
        return answer(post(token, session, request("tools/call", params)));
    }

    private ObjectNode request(String method, ObjectNode params) {
        ObjectNode n = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                .put("method", method);
        n.set("params", params);
        return n;
    }

    private HttpResponse<String> post(String token, String session, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            String value = "Bearer " + token;
            authorizationValues.add(value);
            b.header("Authorization", value);
        }
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON-RPC message of an answer: the body itself, or the data of its (last) server-sent event. */
    private static Answer answer(HttpResponse<String> r) {
        String body = r.body();
        String json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            for (String line : body.split("\n")) {
                if (line.startsWith("data:")) {
                    json = line.substring(5).trim();
                }
            }
        } else if (!body.isBlank()) {
            json = body;
        }
        try {
            return new Answer(r.statusCode(), json == null ? null : JSON.readTree(json), body);
        } catch (IOException e) {
            return new Answer(r.statusCode(), null, body);
        }
    }
}

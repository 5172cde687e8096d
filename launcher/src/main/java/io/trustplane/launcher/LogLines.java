package io.trustplane.launcher;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Turns the services' JSON log lines into one readable line each for {@code ./trustplane logs}: time, level,
 * logger, message and the request's trace id (the id the services' OpenTelemetry puts in every request's log
 * context), then the exception if there is one. Lines that are not JSON pass through unchanged.
 */
final class LogLines {

    private LogLines() {
    }

    /** Copies {@code in} to {@code out} line by line, formatted, until {@code in} ends. */
    static void copy(InputStream in, PrintStream out) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            out.println(format(line));
            out.flush();
        }
    }

    static String format(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("{")) {
            return line;
        }
        JsonObject o;
        try (var reader = Json.createReader(new StringReader(trimmed))) {
            o = reader.readObject();
        } catch (JsonParsingException | IllegalStateException | ClassCastException e) {
            return line;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(text(o, "timestamp")).append(' ');
        sb.append(String.format("%-5s", text(o, "level"))).append(' ');
        sb.append(shortLogger(text(o, "loggerName"))).append(" - ").append(text(o, "message"));
        JsonValue mdc = o.get("mdc");
        if (mdc instanceof JsonObject m && m.containsKey("traceId")) {
            sb.append(" [request ").append(text(m, "traceId")).append(']');
        }
        JsonValue exception = o.get("exception");
        if (exception instanceof JsonObject e) {
            sb.append(System.lineSeparator()).append("    ").append(text(e, "exceptionType")).append(": ")
                    .append(text(e, "message"));
        }
        return sb.toString();
    }

    /** {@code io.trustplane.gate.service.GateService} becomes {@code i.t.g.s.GateService}. */
    static String shortLogger(String logger) {
        String[] parts = logger.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            if (!parts[i].isEmpty()) {
                sb.append(parts[i].charAt(0)).append('.');
            }
        }
        return sb.append(parts[parts.length - 1]).toString();
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return "";
        }
        return v.getValueType() == JsonValue.ValueType.STRING ? o.getString(key) : v.toString();
    }
}

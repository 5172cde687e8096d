package io.trustplane.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tool-call hook an agent runtime runs before and after every tool call: reads the runtime's hook event on stdin,
 * sends it as it is to gate-service's tool-call guard ({@code POST /v1/tool-calls/hooks/<shape>}), prints the answer
 * in the runtime's convention and exits with its code. The event is parsed, digested and decided by the guard, so
 * this process does one HTTP call and nothing else: {@link HttpURLConnection} (not {@code java.net.http}, whose setup
 * and exit wait cost hundreds of milliseconds) and no dependencies, which is what lets a JVM answer in tens of
 * milliseconds.
 *
 * <p>Settings (environment): {@code TRUSTPLANE_GATE_URL} (default {@code http://127.0.0.1:8083}),
 * {@code TRUSTPLANE_TOKEN} or {@code TRUSTPLANE_TOKEN_FILE} (the agent's bearer token), {@code TRUSTPLANE_HOOK_FAIL}
 * ({@code closed}, the default: a pre-call hook denies when Trustplane cannot answer; {@code open}: it lets the
 * runtime decide), {@code TRUSTPLANE_HOOK_TIMEOUT_MS} (default 1000: connect and answer deadline).
 * Argument: the shape, {@code claude-code} (default) or {@code generic}.
 *
 * <p>Exit codes. claude-code: 0 with the answer on stdout (allow or deny is in the JSON); 2 when the event is
 * malformed or refused (Claude Code blocks the call and shows the message). generic: 0 allow (or result recorded),
 * 2 deny or escalate (or result refused), 1 malformed input or Trustplane unreachable in fail-open mode.
 */
public final class Hook {

    static final int OK = 0;
    static final int ERROR = 1;
    static final int BLOCK = 2;

    private Hook() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.in, System.out, System.err, System.getenv()));
    }

    /** Runs the hook once; returns the exit code. */
    static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr, Map<String, String> env)
            throws IOException {
        String shape = args.length > 0 ? args[0] : "claude-code";
        if (!shape.equals("claude-code") && !shape.equals("generic")) {
            stderr.println("trustplane-hook: unknown shape '" + shape + "' (claude-code or generic)");
            return shape.equals("generic") ? ERROR : BLOCK;
        }
        boolean claude = shape.equals("claude-code");
        byte[] event = stdin.readAllBytes();
        String text = new String(event, StandardCharsets.UTF_8).strip();
        if (!text.startsWith("{") || !text.endsWith("}")) {
            stderr.println("trustplane-hook: stdin is not a JSON object: expected the runtime's hook event");
            return claude ? BLOCK : ERROR;
        }
        boolean post = claude ? text.contains("\"PostToolUse\"") : text.matches("(?s).*\"event\"\\s*:\\s*\"post\".*");
        boolean failOpen = "open".equalsIgnoreCase(env.getOrDefault("TRUSTPLANE_HOOK_FAIL", "closed"));
        String token;
        try {
            token = token(env);
        } catch (IOException e) {
            return unreachable(claude, post, failOpen, "cannot read TRUSTPLANE_TOKEN_FILE: " + e.getMessage(), stdout,
                    stderr);
        }
        int timeout = Integer.parseInt(env.getOrDefault("TRUSTPLANE_HOOK_TIMEOUT_MS", "1000"));
        String base = env.getOrDefault("TRUSTPLANE_GATE_URL", "http://127.0.0.1:8083").replaceAll("/+$", "");
        HttpURLConnection http;
        int status;
        byte[] body;
        try {
            http = (HttpURLConnection) URI.create(base + "/v1/tool-calls/hooks/" + shape).toURL().openConnection();
            http.setConnectTimeout(timeout);
            http.setReadTimeout(timeout);
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setRequestProperty("Content-Type", "application/json");
            http.setRequestProperty("Accept", "application/json");
            if (token != null) {
                http.setRequestProperty("Authorization", "Bearer " + token);
            }
            http.setFixedLengthStreamingMode(event.length);
            try (OutputStream out = http.getOutputStream()) {
                out.write(event);
            }
            status = http.getResponseCode();
            InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream();
            body = in == null ? new byte[0] : readAll(in);
        } catch (IOException | IllegalArgumentException e) {
            return unreachable(claude, post, failOpen, e.toString(), stdout, stderr);
        }
        String answer = new String(body, StandardCharsets.UTF_8);
        if (status == 200) {
            stdout.println(answer);
            if (claude) {
                return OK;
            }
            boolean allowed = post ? answer.contains("\"recorded\":true") : answer.contains("\"decision\":\"allow\"");
            return allowed ? OK : BLOCK;
        }
        if (status >= 500 || status == 429) {
            return unreachable(claude, post, failOpen, "gate-service answered " + status + ": " + detail(answer),
                    stdout, stderr);
        }
        stderr.println("trustplane-hook: Trustplane refused the hook event (" + status + "): " + detail(answer));
        return claude ? BLOCK : ERROR;
    }

    /** Trustplane cannot answer: fail closed (deny the call) or open (leave it to the runtime), and say so. */
    private static int unreachable(boolean claude, boolean post, boolean failOpen, String why, PrintStream stdout,
            PrintStream stderr) {
        stderr.println("trustplane-hook: Trustplane is unreachable (" + why + "); failing "
                + (failOpen ? "open" : "closed"));
        if (post) {
            return ERROR; // the call already ran: nothing to deny, and the runtime shows the warning
        }
        if (failOpen) {
            return claude ? OK : ERROR;
        }
        String reason = "Trustplane could not be reached to check this call, and the hook fails closed";
        if (claude) {
            stdout.println("{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"deny\","
                    + "\"permissionDecisionReason\":\"" + reason + "\"}}");
            return OK;
        }
        stdout.println("{\"decision\":\"deny\",\"reason\":\"" + reason + "\"}");
        return BLOCK;
    }

    private static String token(Map<String, String> env) throws IOException {
        String token = env.get("TRUSTPLANE_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        String file = env.get("TRUSTPLANE_TOKEN_FILE");
        return file == null || file.isBlank() ? null : Files.readString(Path.of(file)).strip();
    }

    /** The problem's detail, or the body itself. */
    private static String detail(String problem) {
        int at = problem.indexOf("\"detail\":\"");
        if (at < 0) {
            return problem.length() > 300 ? problem.substring(0, 300) : problem;
        }
        int start = at + 10;
        int end = start;
        while (end < problem.length() && (problem.charAt(end) != '"' || problem.charAt(end - 1) == '\\')) {
            end++;
        }
        return problem.substring(start, end);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}

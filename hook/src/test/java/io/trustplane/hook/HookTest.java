package io.trustplane.hook;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook's own decisions, which need no Trustplane: malformed input is refused before anything is sent, and an
 * unreachable Trustplane is answered by the configured failure mode in each runtime's convention. (Allow, deny and
 * escalate against the real guard run in the e2e module, with the suite.)
 */
class HookTest {

    private static final String PRE = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
            + "\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"toolu_1\"}";
    private static final String POST = "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\","
            + "\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"toolu_1\",\"tool_response\":{}}";

    record Outcome(int exit, String stdout, String stderr) {
    }

    static Outcome run(String shape, String stdin, Map<String, String> env) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Hook.run(new String[] {shape}, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A loopback port nothing listens on. */
    static String closedUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void malformedStdinIsRefusedWithAClearErrorAndNothingIsSent() throws IOException {
        Map<String, String> env = Map.of("TRUSTPLANE_GATE_URL", closedUrl(), "TRUSTPLANE_HOOK_FAIL", "open");
        for (String bad : new String[] {"", "not json", "[1,2]", "{\"hook_event_name\":"}) {
            Outcome claude = run("claude-code", bad, env);
            assertThat(claude.exit()).as("claude-code, stdin %s", bad).isEqualTo(2);
            assertThat(claude.stderr()).contains("stdin is not a JSON object").doesNotContain("unreachable");
            assertThat(claude.stdout()).isEmpty();
            Outcome generic = run("generic", bad, env);
            assertThat(generic.exit()).isEqualTo(1);
            assertThat(generic.stderr()).contains("stdin is not a JSON object");
        }
        assertThat(run("sideways", PRE, env).stderr()).contains("unknown shape 'sideways'");
    }

    @Test
    void failClosedDeniesThePreCallInEachConvention() throws IOException {
        Map<String, String> env = Map.of("TRUSTPLANE_GATE_URL", closedUrl(), "TRUSTPLANE_HOOK_TIMEOUT_MS", "500");
        Outcome claude = run("claude-code", PRE, env);
        assertThat(claude.exit()).isZero();
        assertThat(claude.stdout()).contains("\"permissionDecision\":\"deny\"").contains("fails closed");
        assertThat(claude.stderr()).contains("unreachable").contains("failing closed");
        Outcome generic = run("generic", "{\"event\":\"pre\",\"tool\":\"ls\",\"arguments\":{}}", env);
        assertThat(generic.exit()).isEqualTo(2);
        assertThat(generic.stdout()).contains("\"decision\":\"deny\"");
        // after the call: nothing to deny, the runtime shows the warning
        assertThat(run("claude-code", POST, env).exit()).isEqualTo(1);
    }

    @Test
    void failOpenLeavesThePreCallToTheRuntime() throws IOException {
        Map<String, String> env = Map.of("TRUSTPLANE_GATE_URL", closedUrl(), "TRUSTPLANE_HOOK_FAIL", "open");
        Outcome claude = run("claude-code", PRE, env);
        assertThat(claude.exit()).isZero();
        assertThat(claude.stdout()).isEmpty();
        assertThat(claude.stderr()).contains("failing open");
        Outcome generic = run("generic", "{\"event\":\"pre\",\"tool\":\"ls\",\"arguments\":{}}", env);
        assertThat(generic.exit()).isEqualTo(1);
        assertThat(generic.stdout()).isEmpty();
    }
}

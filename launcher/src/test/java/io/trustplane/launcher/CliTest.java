package io.trustplane.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./trustplane} command as a user runs it: {@code help} lists every command, {@code bench --help} prints
 * its usage and writes nothing, an unknown scenario is an error, {@code token} refuses unknown roles and malformed
 * subjects with one line, and {@code logs} turns JSON log lines into readable ones.
 */
class CliTest {

    /** The project root: the launcher module's parent. */
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    record Run(int code, String out, String err) {
    }

    private static Run run(List<String> command, String stdin) throws Exception {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private static Run script(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("trustplane").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    /** The launcher itself (what the script forwards {@code token} to), with a state directory of its own. */
    private static Run launcher(Path root, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtrustplane.root=" + root, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return run(cmd, stdin);
    }

    @Test
    void helpListsEveryCommandAndMatchesTheLauncher() throws Exception {
        Run help = script("help");
        assertThat(help.code()).isZero();
        for (String command : List.of("up", "down", "status", "token", "logs", "verify", "bench", "help")) {
            assertThat(help.out()).containsPattern("(?m)^  " + command + "\\b");
        }
        assertThat(help.out()).contains("--json");
        assertThat(script("--help").out()).isEqualTo(help.out());
        assertThat(launcher(Files.createTempDirectory("cli"), null, "help").out()).isEqualTo(help.out());

        Run unknown = script("frobnicate");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("unknown command 'frobnicate'").contains("bench");
    }

    @Test
    void benchHelpPrintsUsageAndWritesNothingAndAnUnknownScenarioIsAnError() throws Exception {
        Map<String, String> before = snapshot();
        Run help = script("bench", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("usage: ./trustplane bench").contains("provenance-query").contains("startup");
        Run unknown = script("bench", "evaluate", "no-such-scenario");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("unknown scenario 'no-such-scenario'");
        assertThat(snapshot()).as("docs/performance.md and bench/ are untouched").isEqualTo(before);
    }

    @Test
    void tokenRefusesUnknownRolesAndMalformedSubjectsWithOneLine() throws Exception {
        Path state = Files.createTempDirectory("cli");
        for (String[] args : List.of(
                new String[] {"token", "--sub", "agent 7", "--groups", "agent"},
                new String[] {"token", "--sub", "", "--groups", "agent"},
                new String[] {"token", "--sub", "agent-7", "--groups", "agent,superuser"},
                new String[] {"token", "--sub", "agent-7", "--groups", "agent,"},
                new String[] {"token", "--sub", "agent-7", "--groups"})) {
            Run r = launcher(state, null, args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("trustplane: ").doesNotContain("\n");
        }
        assertThat(launcher(state, null, "token", "--sub", "agent-7", "--groups", "root").err())
                .contains("unknown role 'root'").contains("agent, operator, admin, service");
        assertThat(launcher(state, null, "token", "--sub", "a b", "--groups", "agent").err())
                .contains("--sub 'a b' is not a valid subject");
        // a well-formed request gets past validation to the key check (no `up` ran in this state directory)
        assertThat(launcher(state, null, "token", "--sub", "agent-7", "--groups", "agent,operator").err())
                .contains("no dev key");
    }

    @Test
    void logsAreReadableLines() throws Exception {
        String json = "{\"timestamp\":\"2026-12-06T10:58:48.534Z\",\"sequence\":7,\"loggerClassName\":\"org.jboss.logging"
                + ".Logger\",\"loggerName\":\"io.trustplane.gate.service.GateService\",\"level\":\"WARN\",\"message\":"
                + "\"agent agent-7 denied\",\"threadName\":\"executor-thread-1\",\"mdc\":{\"traceId\":"
                + "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\"}}\nnot json at all\n";
        Run r = launcher(Files.createTempDirectory("cli"), json, "logs-format");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "2026-12-06T10:58:48.534Z WARN  i.t.g.s.GateService - agent agent-7 denied "
                        + "[request 4bf92f3577b34da6a3ce929d0e0e4736]",
                "not json at all");
    }

    /** Paths and contents of what a benchmark run would write. */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path perf = ROOT.resolve("docs/performance.md");
        out.put("docs/performance.md", Files.exists(perf) ? Integer.toString(Files.readString(perf).hashCode()) : "-");
        try (Stream<Path> files = Files.walk(ROOT.resolve("bench/results"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(ROOT.relativize(f).toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }
}

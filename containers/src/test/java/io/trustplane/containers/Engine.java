package io.trustplane.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The container tools: podman (runc, the project's containers.conf through CONTAINERS_CONF), podman-compose and
 * docker-compose (against podman's Docker API).
 * Installs them with scripts/install-containers when they are missing; when that is impossible the container tests
 * fail where containers are required (CI, or TRUSTPLANE_REQUIRE_CONTAINERS set) and are skipped with a hint
 * elsewhere, the way the browser tests treat Chromium.
 */
final class Engine {

    static final Path ROOT = Path.of(System.getProperty("trustplane.root", "..")).toAbsolutePath().normalize();
    static final Path LOGS = ROOT.resolve("containers/target/containers");
    static final Path CONF = ROOT.resolve("deploy/containers/containers.conf");
    static final String HOW_TO_INSTALL = "run scripts/install-containers as root (Debian/Ubuntu: podman, runc, "
            + "debootstrap, podman-compose, docker-compose), or set TRUSTPLANE_REQUIRE_CONTAINERS=1 to make this a failure";

    private static Boolean available;

    private Engine() {
    }

    /** What a command printed (stdout and stderr together) and how it ended. */
    record Result(int exit, String output) {

        Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed (exit " + exit + "):\n" + tail(output));
            }
            return this;
        }

        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        private static String tail(String s) {
            return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
        }
    }

    /** Makes sure podman, podman-compose and docker-compose work here, installing them if needed (see the class comment). */
    static synchronized void ensureAvailable() throws IOException, InterruptedException {
        if (available == null) {
            available = usable() || (install() && usable());
        }
        if (!available) {
            String message = "podman/podman-compose/docker-compose are not usable here and scripts/install-containers could not "
                    + "install them (log: " + LOGS.resolve("install-containers.log") + "); " + HOW_TO_INSTALL;
            if (required()) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }

    private static boolean usable() throws InterruptedException {
        try {
            return run(Duration.ofMinutes(2), Map.of(), "podman", "info", "--format", "{{.Host.OCIRuntime.Name}}").exit() == 0
                    && run(Duration.ofMinutes(1), Map.of(), "podman-compose", "version").exit() == 0
                    && run(Duration.ofMinutes(1), Map.of(), "docker-compose", "version").exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean install() throws IOException, InterruptedException {
        Result r = run(Duration.ofMinutes(10), Map.of(), "bash", ROOT.resolve("scripts/install-containers").toString());
        Files.writeString(LOGS.resolve("install-containers.log"), r.output());
        return r.exit() == 0;
    }

    static boolean required() {
        return Stream.of("CI", "TRUSTPLANE_REQUIRE_CONTAINERS").map(System::getenv)
                .anyMatch(v -> v != null && !v.isBlank() && !v.equalsIgnoreCase("false") && !v.equals("0"));
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    /** Runs a command with CONTAINERS_CONF set (and {@code env}), in the repository root, bounded by {@code timeout}. */
    static Result run(Duration timeout, Map<String, String> env, String... command) throws IOException, InterruptedException {
        return run(timeout, env, List.of(command));
    }

    static Result run(Duration timeout, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(LOGS);
        Path out = Files.createTempFile(LOGS, "cmd", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("CONTAINERS_CONF", CONF.toString());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

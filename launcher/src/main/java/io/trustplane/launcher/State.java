package io.trustplane.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code ./trustplane up} started, kept in {@code .trustplane/state.properties} so that {@code down}
 * stops exactly that and {@code status} knows where to look: the supervisor's pid, its children's pids,
 * the service ports and the PostgreSQL data directory.
 */
final class State {

    static final String FILE = "state.properties";

    private State() {
    }

    static void write(Path stateDir, Properties props) throws IOException {
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            props.store(w, "written by the trustplane launcher; removed by ./trustplane down");
        }
        Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<Properties> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
            return Optional.of(props);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void delete(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(FILE));
        } catch (IOException ignored) {
            // nothing left to clean
        }
    }

    static Optional<ProcessHandle> alive(Properties props, String key) {
        String pid = props.getProperty(key);
        if (pid == null || pid.isBlank()) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid.trim())).filter(ProcessHandle::isAlive);
    }
}

package io.trustplane.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When a service does not come up, the launcher quotes the telling line of its log, JSON or text. */
class FailedStartTest {

    @Test
    void theFirstErrorOfAJsonLogIsShownAsItsMessage(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gate.log");
        Files.write(log, List.of(
                "{\"timestamp\":\"2026-11-23T15:00:00Z\",\"level\":\"INFO\",\"message\":\"starting\"}",
                "{\"timestamp\":\"2026-11-23T15:00:01Z\",\"level\":\"ERROR\",\"message\":\"Failed to start: "
                        + "\\\"quarkus.datasource.reactive.url\\\" is invalid\\nCaused by: x\",\"threadName\":\"main\"}",
                "{\"timestamp\":\"2026-11-23T15:00:02Z\",\"level\":\"INFO\",\"message\":\"stopped\"}"));
        assertThat(Suite.lastErrorLine(log))
                .isEqualTo("Failed to start: \"quarkus.datasource.reactive.url\" is invalid Caused by: x");
    }

    @Test
    void aTextLogWithoutErrorsShowsItsLastLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("lease.log");
        Files.write(log, List.of("2026-11-23 15:00:00 INFO starting", "2026-11-23 15:00:01 INFO still starting"));
        assertThat(Suite.lastErrorLine(log)).isEqualTo("2026-11-23 15:00:01 INFO still starting");
    }
}

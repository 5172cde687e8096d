package io.trustplane.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** Figures measured by the container tests (image sizes, time to ready, RSS), appended to target/containers/report.txt. */
final class Report {

    private Report() {
    }

    static synchronized void line(String text) {
        System.out.println("[containers] " + text);
        try {
            Files.createDirectories(Engine.LOGS);
            Files.writeString(Engine.LOGS.resolve("report.txt"), text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.trustplane.verifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last checkpoint this verifier trusted, as the signed note itself in a local file: every later checkpoint must
 * be consistent with it. Written atomically (temporary file, then rename), so a crash leaves the old or the new one.
 */
public final class TrustState {

    private final Path file;

    public TrustState(Path file) {
        this.file = file;
    }

    /** The default file for a log origin: ~/.trustplane/verifier/<origin with '/' as '_'>.checkpoint */
    public static Path defaultFile(String origin) {
        return Path.of(System.getProperty("user.home"), ".trustplane", "verifier",
                origin.replaceAll("[^A-Za-z0-9._-]", "_") + ".checkpoint");
    }

    public Optional<String> load() {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new VerificationException(Verdict.USAGE, "cannot read the trust state " + file + ": " + e.getMessage());
        }
    }

    public void save(String note) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".checkpoint", ".tmp");
            Files.writeString(tmp, note, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VerificationException(Verdict.USAGE, "cannot write the trust state " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }
}

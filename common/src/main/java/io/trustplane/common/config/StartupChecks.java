package io.trustplane.common.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Refuses to start a service whose configured key files are missing, with one line naming the file and the
 * setting, instead of answering every request with 401 later. Checked: the JWT verification key
 * ({@code mp.jwt.verify.publickey.location}) and, where set, the log signing key ({@code trustplane.log.key-file}).
 */
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes StartupEvent event, Config config) {
        check(config, "mp.jwt.verify.publickey.location", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    }

    /** Logs one clear line and fails startup if {@code property} names a local file that cannot be read. */
    public static void check(Config config, String property, String envName) {
        Optional<String> location = config.getOptionalValue(property, String.class);
        location.flatMap(StartupChecks::problemWith).ifPresent(problem -> {
            String line = "trustplane: " + problem + " (set " + property + " or " + envName + ")";
            LOG.error(line);
            throw new IllegalStateException(line);
        });
    }

    /** Why the key file at {@code location} is unusable, if it is a local file that cannot be read. */
    public static Optional<String> problemWith(String location) {
        Path file;
        if (location.startsWith("file:")) {
            file = Path.of(URI.create(location));
        } else if (location.contains("://") || location.startsWith("classpath:")) {
            return Optional.empty(); // remote JWKS or a classpath resource: checked by its own loader
        } else {
            file = Path.of(location);
        }
        if (!Files.exists(file)) {
            return Optional.of("key file " + file.toAbsolutePath() + " does not exist");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("key file " + file.toAbsolutePath() + " is not readable");
        }
        return Optional.empty();
    }
}

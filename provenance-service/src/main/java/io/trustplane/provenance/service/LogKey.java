package io.trustplane.provenance.service;

import io.quarkus.runtime.Startup;
import io.trustplane.provenance.config.LogConfig;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Loads the Ed25519 checkpoint signing key at startup and refuses to start, with one line naming the setting,
 * when it is missing or unreadable: a log that cannot sign must not accept records.
 */
@Startup
@Singleton
public class LogKey {

    private static final Logger LOG = Logger.getLogger(LogKey.class);

    private final NoteSigner signer;

    public LogKey(LogConfig config) {
        this.signer = new NoteSigner(config.origin(), load(config));
        LOG.infof("provenance log %s signs checkpoints with key %s", config.origin(), signer.verifierKey());
    }

    public NoteSigner signer() {
        return signer;
    }

    private static java.security.PrivateKey load(LogConfig config) {
        String source = config.key().isPresent() ? "trustplane.log.key" : "trustplane.log.key-file "
                + Path.of(config.keyFile()).toAbsolutePath();
        try {
            String pem = config.key().isPresent() ? config.key().get() : Files.readString(Path.of(config.keyFile()));
            return NoteSigner.parsePem(pem);
        } catch (Exception e) {
            String line = "trustplane: cannot load the log signing key from " + source + ": " + e
                    + " (set trustplane.log.key-file / TRUSTPLANE_LOG_KEY_FILE or trustplane.log.key / TRUSTPLANE_LOG_KEY"
                    + " to an Ed25519 PKCS#8 PEM key)";
            LOG.error(line);
            throw new IllegalStateException(line);
        }
    }
}

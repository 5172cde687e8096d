package io.trustplane.provenance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The signing key and checkpoint origin. */
@ConfigMapping(prefix = "trustplane.log")
public interface LogConfig {
    /** PKCS#8 PEM file of the Ed25519 checkpoint signing key (used when {@code key} is not set). */
    @WithDefault(".trustplane/log-signing-key.pem")
    String keyFile();

    /** The PEM text itself (e.g. from a secret in an environment variable); wins over key-file. */
    Optional<String> key();

    /** Checkpoint origin line, also the signed note's key name. */
    @WithDefault("trustplane.local/provenance")
    String origin();
}

package io.trustplane.gate.service;

import io.trustplane.gate.config.ToolCallConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads gate-service's Ed25519 receipt signing key at startup and refuses to start, with one line naming the
 * setting, when it is missing or unreadable: a gate that cannot sign its decisions must not hand them out.
 */
@Startup
@Singleton
public class ReceiptKey {

    private static final Logger LOG = Logger.getLogger(ReceiptKey.class);

    private final ReceiptSigner signer;

    public ReceiptKey(ToolCallConfig config) {
        this.signer = new ReceiptSigner(load(config));
        LOG.infof("tool-call receipts are signed with key %s", signer.keyId());
    }

    public ReceiptSigner signer() {
        return signer;
    }

    private static java.security.PrivateKey load(ToolCallConfig config) {
        String source = config.key().isPresent() ? "trustplane.tool-calls.key" : "trustplane.tool-calls.key-file "
                + Path.of(config.keyFile()).toAbsolutePath();
        try {
            String pem = config.key().isPresent() ? config.key().get() : Files.readString(Path.of(config.keyFile()));
            return ReceiptSigner.parsePem(pem);
        } catch (Exception e) {
            String line = "trustplane: cannot load the receipt signing key from " + source + ": " + e
                    + " (set trustplane.tool-calls.key-file / TRUSTPLANE_TOOL_CALLS_KEY_FILE or trustplane.tool-calls.key"
                    + " / TRUSTPLANE_TOOL_CALLS_KEY to an Ed25519 PKCS#8 PEM key)";
            LOG.error(line);
            throw new IllegalStateException(line);
        }
    }
}

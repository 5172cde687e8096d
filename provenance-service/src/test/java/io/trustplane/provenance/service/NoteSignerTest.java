package io.trustplane.provenance.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trustplane.provenance.config.LogConfig;
import io.trustplane.testing.log.C2spNote;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signing with a JDK Ed25519 key and verifying with the test's independent C2SP verifier. */
class NoteSignerTest {

    @Test
    void signedCheckpointVerifiesAndDerivedPublicKeyMatchesTheJdk() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        NoteSigner signer = new NoteSigner("example.com/log", NoteSigner.parsePem(pem));
        byte[] spki = pair.getPublic().getEncoded();
        assertThat(signer.publicKey()).isEqualTo(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        String note = signer.sign(NoteSigner.checkpointBody("example.com/log", 3, new byte[32]));
        C2spNote.Checkpoint cp = C2spNote.verify(note, signer.verifierKey());
        assertThat(cp.size()).isEqualTo(3);
        assertThat(note).startsWith("example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 example.com/log ");
    }

    @Test
    void aMissingKeyFailsStartupWithOneLineNamingTheSetting() {
        LogConfig config = new LogConfig() {
            @Override
            public String keyFile() {
                return "/nonexistent/log-signing-key.pem";
            }

            @Override
            public Optional<String> key() {
                return Optional.empty();
            }

            @Override
            public String origin() {
                return "trustplane.local/provenance";
            }
        };
        assertThatThrownBy(() -> new LogKey(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trustplane.log.key-file").hasMessageContaining("/nonexistent/log-signing-key.pem")
                .hasMessageNotContaining("\n");
    }
}

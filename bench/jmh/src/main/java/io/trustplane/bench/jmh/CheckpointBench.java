package io.trustplane.bench.jmh;

import io.trustplane.provenance.service.NoteSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoint signing as the sequencer does it once per batch (Sequencer.sign: the C2SP tlog-checkpoint body
 * signed as a C2SP note with Ed25519), and a client verifying such a note against the log's verifier key. The
 * key is generated per run; none is stored.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CheckpointBench {

    static final String ORIGIN = "trustplane.local/provenance";
    private static final long TREE_SIZE = 1_000_256;

    private NoteSigner signer;
    private PublicKey publicKey;
    private byte[] keyId;
    private byte[] root;
    private String note;

    @Setup
    public void setup() throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signer = new NoteSigner(ORIGIN, pair.getPrivate());
        publicKey = pair.getPublic();
        keyId = HexFormat.of().parseHex(signer.verifierKey().split("\\+")[1]);
        root = new byte[32];
        new Random(8032).nextBytes(root);
        note = sign();
    }

    @Benchmark
    public String sign() {
        return signer.sign(NoteSigner.checkpointBody(ORIGIN, TREE_SIZE, root));
    }

    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        return verifyNote(note);
    }

    /** C2SP signed-note check: the text up to the blank line, one signature line by this key, Ed25519. */
    boolean verifyNote(String signed) throws GeneralSecurityException {
        int split = signed.indexOf("\n\n");
        String prefix = "\u2014 " + ORIGIN + " ";
        int line = signed.indexOf(prefix, split);
        if (split < 0 || line != split + 2) {
            return false;
        }
        byte[] blob = Base64.getDecoder().decode(signed.substring(line + prefix.length(), signed.length() - 1));
        if (blob.length != 4 + 64 || !Arrays.equals(blob, 0, 4, keyId, 0, 4)) {
            return false;
        }
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(publicKey);
        ed.update(signed.substring(0, split + 1).getBytes(StandardCharsets.UTF_8));
        return ed.verify(blob, 4, 64);
    }
}

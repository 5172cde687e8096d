package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trustplane.client.Model.Evidence;
import io.trustplane.client.Model.InclusionProof;
import io.trustplane.client.Model.LocalLedgerCheck;
import io.trustplane.client.Model.NewRecord;
import io.trustplane.client.Model.ProvenanceRecord;
import io.trustplane.client.Model.VerifiedRecord;
import io.trustplane.verifier.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK checks the log here, against the real suite: a recorded record comes back with its inclusion proof verified
 * against the pinned key; a tampered proof, a checkpoint signed by another key and a forked checkpoint (two roots for
 * one tree size) are refused with a typed {@link ProofException}; a task's ledger export is re-hashed locally and the
 * first tampered or missing entry is named.
 */
@ExtendWith(ClientSuite.Extension.class)
class LocalVerificationTest {

    @Test
    void recordedRecordsAreVerifiedAndSuccessiveCheckpointsProvenConsistent(ClientSuite suite) {
        String agent = "sdk-proof-" + System.nanoTime();
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent))) {
            LogVerifier verifier = LogVerifier.pinned(tp.provenance().key());

            VerifiedRecord first = tp.provenance().record(record(agent, "first"), verifier);
            assertThat(first.record().agentId()).isEqualTo(agent);
            assertThat(first.summary()).contains("leaf " + first.record().leafIndex(), "trust on first use");
            assertThat(verifier.trusted()).contains(first.record().checkpoint());

            VerifiedRecord second = tp.provenance().record(record(agent, "second"), verifier);
            assertThat(second.record().treeSize()).isGreaterThan(first.record().treeSize());
            assertThat(second.summary()).contains("consistent with the trusted checkpoint of size "
                    + first.record().treeSize());

            // the first record again, now proven in the latest tree, and the latest checkpoint on its own
            assertThat(tp.provenance().verify(first.record().id(), verifier).summary())
                    .contains("leaf " + first.record().leafIndex())
                    .containsAnyOf("consistent with the trusted checkpoint", "same checkpoint as the trusted one");
            assertThat(tp.provenance().checkpoint(verifier).summary()).contains("signed by the log key");
        }
    }

    @Test
    void aTamperedProofOrLeafIsRefused(ClientSuite suite) {
        String agent = "sdk-tamper-" + System.nanoTime();
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent))) {
            LogVerifier verifier = LogVerifier.pinned(tp.provenance().key());
            ProvenanceRecord record = tp.provenance().record(record(agent, "a"));
            tp.provenance().record(record(agent, "b"));
            InclusionProof proof = tp.provenance().proof(record.id(), null);
            assertThat(proof.hashes()).as("a tree of two leaves or more has a sibling on the path").isNotEmpty();
            assertThat(tp.provenance().verify(record, proof, verifier).summary()).contains("signed by the log key");

            List<String> hashes = new ArrayList<>(proof.hashes());
            hashes.set(0, flipFirstByte(hashes.get(0)));
            InclusionProof tampered = new InclusionProof(proof.id(), proof.leafIndex(), proof.treeSize(),
                    proof.leafHash(), proof.rootHash(), hashes, proof.checkpoint());
            assertThatThrownBy(() -> tp.provenance().verify(record, tampered, verifier))
                    .isInstanceOfSatisfying(ProofException.class,
                            e -> assertThat(e.verdict()).isEqualTo(Verdict.NOT_INCLUDED));

            ProvenanceRecord otherLeaf = new ProvenanceRecord(record.id(), record.agentId(), record.creationType(),
                    record.parentId(), record.contentHash(), record.metadata(), record.submittedAt(),
                    record.createdAt(), record.leafIndex(), flipFirstByte(record.leaf()), record.leafHash(),
                    record.parentHash(), record.treeSize(), record.checkpoint());
            assertThatThrownBy(() -> tp.provenance().verify(otherLeaf, proof, verifier))
                    .isInstanceOf(ProofException.class);
        }
    }

    @Test
    void aCheckpointNotSignedByThePinnedKeyIsRefused(ClientSuite suite) throws Exception {
        String agent = "sdk-pin-" + System.nanoTime();
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent))) {
            String origin = tp.provenance().checkpoint().split("\n", 2)[0];
            LogVerifier pinnedElsewhere = LogVerifier.pinned(new NoteSigner(origin).vkey());
            assertThatThrownBy(() -> tp.provenance().record(record(agent, "c"), pinnedElsewhere))
                    .isInstanceOfSatisfying(ProofException.class,
                            e -> assertThat(e.verdict()).isEqualTo(Verdict.BAD_SIGNATURE));
            assertThat(pinnedElsewhere.trusted()).isEmpty();
        }
    }

    @Test
    void aForkedCheckpointIsCaughtAlsoAfterARestart(ClientSuite suite, @TempDir Path dir) throws Exception {
        try (TrustplaneClient tp = suite.client(suite.tokens().agent("sdk-fork-" + System.nanoTime()))) {
            NoteSigner log = new NoteSigner("example.org/forked-log");
            byte[] root = sha256("tree of five, as first shown");
            byte[] other = sha256("tree of five, as shown to someone else");
            Path state = dir.resolve("trusted.checkpoint");
            LogVerifier verifier = LogVerifier.pinned(log.vkey(), state);

            assertThat(tp.provenance().verifyCheckpoint(log.checkpoint(5, root), verifier).summary())
                    .contains("trust on first use");
            assertThat(tp.provenance().verifyCheckpoint(log.checkpoint(5, root), verifier).summary())
                    .contains("same checkpoint as the trusted one");
            assertThatThrownBy(() -> tp.provenance().verifyCheckpoint(log.checkpoint(5, other), verifier))
                    .isInstanceOfSatisfying(ProofException.class,
                            e -> assertThat(e.verdict()).isEqualTo(Verdict.INCONSISTENT));

            LogVerifier restarted = LogVerifier.pinned(log.vkey(), state);
            assertThat(restarted.trusted()).contains(log.checkpoint(5, root));
            assertThatThrownBy(() -> tp.provenance().verifyCheckpoint(log.checkpoint(5, other), restarted))
                    .isInstanceOfSatisfying(ProofException.class,
                            e -> assertThat(e.verdict()).isEqualTo(Verdict.INCONSISTENT));
        }
    }

    @Test
    void theLedgerExportIsRehashedLocallyAndTheFirstBrokenEntryNamed(ClientSuite suite) {
        String agent = "sdk-ledger-" + System.nanoTime();
        String taskId = "sdk-ledger-task-" + System.nanoTime();
        try (TrustplaneClient tp = suite.client(suite.tokens().agent(agent))) {
            tp.tasks().create(taskId, "ledger checked locally", null);
            try (TaskSession work = tp.tasks().session(taskId, 300, (h, reason, detail) -> { })) {
                work.advance(Evidence.of("strategy", "mem:strategy", "plan".getBytes(StandardCharsets.UTF_8)));
            }
            JsonNode export = tp.tasks().ledger(taskId);
            int entries = export.get("entries").size();
            assertThat(entries).isGreaterThanOrEqualTo(2);
            LocalLedgerCheck whole = tp.tasks().verifyLedgerLocally(taskId);
            assertThat(whole).isEqualTo(new LocalLedgerCheck(true, null, null, entries));
            assertThat(tp.tasks().verifyLedger(taskId).valid()).as("the service agrees").isTrue();

            ObjectNode edited = export.deepCopy();
            ((ObjectNode) edited.get("entries").get(1)).put("actor", "someone-else");
            LocalLedgerCheck tampered = LedgerCheck.verify(edited);
            assertThat(tampered.valid()).isFalse();
            assertThat(tampered.firstBroken()).isEqualTo(1L);
            assertThat(tampered.reason()).contains("content");

            ObjectNode cut = export.deepCopy();
            ((ArrayNode) cut.get("entries")).remove(0);
            assertThat(LedgerCheck.verify(cut).firstBroken()).isEqualTo(0L);
        }
    }

    private static NewRecord record(String agent, String content) {
        return new NewRecord(agent, Model.CreationType.FRESH, null,
                "sha256:" + HexFormat.of().formatHex(sha256(content)), Map.of("test", "local-verification"));
    }

    private static String flipFirstByte(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[0] ^= 0x01;
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A log key of the test's own, signing C2SP checkpoints with the JDK's Ed25519 straight from the spec text. */
    private static final class NoteSigner {
        private final String name;
        private final KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        private final byte[] typed = new byte[33];

        NoteSigner(String name) throws Exception {
            this.name = name;
            byte[] der = pair.getPublic().getEncoded();
            typed[0] = 0x01;
            System.arraycopy(der, der.length - 32, typed, 1, 32);
        }

        String vkey() throws Exception {
            return name + "+" + HexFormat.of().formatHex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
        }

        String checkpoint(long size, byte[] root) throws Exception {
            String text = name + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] blob = ByteBuffer.allocate(68).put(keyId()).put(s.sign()).array();
            return text + "\n\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        }

        private byte[] keyId() throws Exception {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(name.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0x0A);
            return Arrays.copyOf(d.digest(typed), 4);
        }
    }
}

package io.trustplane.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trustplane.testing.log.NoteSigner;
import io.trustplane.testing.log.Rfc9162;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier over logs built in the test (leaves, RFC 6962 trees from the testing module's reference, notes
 * signed with test keys): it passes real bundles and catches a tampered leaf, a wrong log key, a wrong or tampered
 * witness cosignature, too few cosignatures, a stale checkpoint and a forked one.
 */
class RecordVerifierTest {

    private static final String ORIGIN = "example.test/log";

    @TempDir
    Path dir;

    private final NoteSigner log = new NoteSigner(ORIGIN, NoteSigner.ED25519);
    private final NoteSigner w1 = new NoteSigner("witness-one.test", NoteSigner.COSIGNATURE_V1);
    private final NoteSigner w2 = new NoteSigner("witness-two.test", NoteSigner.COSIGNATURE_V1);
    private final List<byte[]> leaves = new ArrayList<>();

    RecordVerifierTest() throws Exception {
        for (int i = 0; i < 40; i++) {
            leaves.add(("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private RecordBundle bundle(int index, int size) throws Exception {
        return bundle(index, size, leaves);
    }

    private RecordBundle bundle(int index, int size, List<byte[]> from) throws Exception {
        List<byte[]> d = from.subList(0, size);
        return new RecordBundle(null, d.get(index), index, Rfc9162.path(index, d),
                log.checkpoint(size, Rfc9162.mth(d)), null, List.of());
    }

    private RecordVerifier.ConsistencySource proofs(List<byte[]> from) {
        return (m, n) -> Optional.of(Rfc9162.proof((int) m, from.subList(0, (int) n)));
    }

    private Policy policy(int quorum, NoteSigner... witnesses) throws Exception {
        List<NoteKey> keys = new ArrayList<>();
        for (NoteSigner w : witnesses) {
            keys.add(NoteKey.parse(w.vkey()));
        }
        return new Policy(NoteKey.parse(log.vkey()), keys, quorum, false);
    }

    @Test
    void realBundlesPassAndTheTrustedCheckpointMovesForward() throws Exception {
        RecordVerifier v = new RecordVerifier(policy(0));
        RecordVerifier.Result first = v.verify(bundle(3, 10), Optional.empty(), proofs(leaves));
        assertThat(first.summary()).contains("trust on first use");
        RecordVerifier.Result second = v.verify(bundle(12, 25), Optional.of(first.trusted()), proofs(leaves));
        assertThat(second.summary()).contains("consistent with the trusted checkpoint of size 10");
        assertThat(SignedNote.parse(second.trusted()).size()).isEqualTo(25);
        // the same checkpoint again
        assertThat(v.verify(bundle(0, 25), Optional.of(second.trusted()), proofs(leaves)).trusted())
                .isEqualTo(second.trusted());
    }

    @Test
    void aTamperedLeafIsNotIncluded() throws Exception {
        RecordBundle b = bundle(7, 20);
        byte[] leaf = b.leaf().clone();
        leaf[2] ^= 1;
        assertVerdict(() -> new RecordVerifier(policy(0)).verify(b.withLeaf(leaf), Optional.empty(), proofs(leaves)),
                Verdict.NOT_INCLUDED);
    }

    @Test
    void aWrongLogKeyFails() throws Exception {
        NoteSigner other = new NoteSigner(ORIGIN, NoteSigner.ED25519);
        Policy wrong = new Policy(NoteKey.parse(other.vkey()), List.of(), 0, false);
        assertVerdict(() -> new RecordVerifier(wrong).verify(bundle(1, 5), Optional.empty(), proofs(leaves)),
                Verdict.BAD_SIGNATURE);
        // and a note whose text was changed after signing
        RecordBundle b = bundle(1, 5);
        String changed = b.checkpoint().replaceFirst("\n5\n", "\n6\n");
        assertVerdict(() -> new RecordVerifier(policy(0)).verify(b.withCheckpoint(changed), Optional.empty(),
                proofs(leaves)), Verdict.BAD_SIGNATURE);
    }

    @Test
    void witnessQuorumWrongKeysAndTamperedCosignatures() throws Exception {
        RecordBundle b = bundle(4, 9);
        String one = b.checkpoint() + w1.cosign(b.checkpoint(), 1_700_000_000L);
        String both = one + w2.cosign(b.checkpoint(), 1_700_000_005L);
        RecordVerifier twoOfTwo = new RecordVerifier(policy(2, w1, w2));
        RecordVerifier.Result ok = twoOfTwo.verify(b.withCheckpoint(both), Optional.empty(), proofs(leaves));
        assertThat(ok.cosignatures()).extracting(SignedNote.Cosignature::timestamp)
                .containsExactly(1_700_000_000L, 1_700_000_005L);
        assertVerdict(() -> twoOfTwo.verify(b.withCheckpoint(one), Optional.empty(), proofs(leaves)),
                Verdict.NOT_ENOUGH_COSIGNATURES);
        assertThat(new RecordVerifier(policy(1, w1, w2)).verify(b.withCheckpoint(one), Optional.empty(),
                proofs(leaves)).cosignatures()).hasSize(1);
        // a witness key with the right name but another key: its line does not count
        NoteSigner impostor = new NoteSigner("witness-two.test", NoteSigner.COSIGNATURE_V1);
        String forged = one + impostor.cosign(b.checkpoint(), 1_700_000_005L);
        assertVerdict(() -> twoOfTwo.verify(b.withCheckpoint(forged), Optional.empty(), proofs(leaves)),
                Verdict.NOT_ENOUGH_COSIGNATURES);
        // a cosignature by w2 whose timestamp was changed: tampered
        String line = w2.cosign(b.checkpoint(), 1_700_000_005L);
        byte[] blob = java.util.Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1).trim());
        blob[11] ^= 1;
        String tampered = one + "\u2014 witness-two.test " + java.util.Base64.getEncoder().encodeToString(blob) + "\n";
        assertVerdict(() -> twoOfTwo.verify(b.withCheckpoint(tampered), Optional.empty(), proofs(leaves)),
                Verdict.BAD_COSIGNATURE);
        // a cosignature over another checkpoint moved onto this one
        RecordBundle other = bundle(4, 10);
        String moved = one + w2.cosign(other.checkpoint(), 1_700_000_005L);
        assertVerdict(() -> twoOfTwo.verify(b.withCheckpoint(moved), Optional.empty(), proofs(leaves)),
                Verdict.BAD_COSIGNATURE);
    }

    @Test
    void aStaleCheckpointIsCaughtUnlessOlderOnesAreAllowedAndConsistent() throws Exception {
        RecordVerifier v = new RecordVerifier(policy(0));
        String trusted = v.verify(bundle(20, 30), Optional.empty(), proofs(leaves)).trusted();
        assertVerdict(() -> v.verify(bundle(2, 12), Optional.of(trusted), proofs(leaves)), Verdict.STALE);
        Policy older = new Policy(NoteKey.parse(log.vkey()), List.of(), 0, true);
        RecordVerifier.Result ok = new RecordVerifier(older).verify(bundle(2, 12), Optional.of(trusted), proofs(leaves));
        assertThat(ok.trusted()).isEqualTo(trusted);
    }

    @Test
    void aForkedCheckpointIsCaught() throws Exception {
        RecordVerifier v = new RecordVerifier(policy(0));
        String trusted = v.verify(bundle(5, 16), Optional.empty(), proofs(leaves)).trusted();
        List<byte[]> forked = new ArrayList<>(leaves);
        forked.set(9, "{\"i\":\"rewritten\"}".getBytes(StandardCharsets.UTF_8));
        // the same size with another root
        assertVerdict(() -> v.verify(bundle(5, 16, forked), Optional.of(trusted), proofs(forked)),
                Verdict.INCONSISTENT);
        // a larger tree that rewrote history: its own proofs are valid, consistency with the trusted one is not
        assertVerdict(() -> v.verify(bundle(20, 33, forked), Optional.of(trusted), proofs(forked)),
                Verdict.INCONSISTENT);
        // offline, without a consistency proof, a newer checkpoint cannot be accepted
        assertVerdict(() -> v.verify(bundle(20, 33), Optional.of(trusted), (m, n) -> Optional.empty()),
                Verdict.UNAVAILABLE);
    }

    @Test
    void theCommandPrintsAVerdictAndExitsWithItsCode() throws Exception {
        Path state = dir.resolve("state.checkpoint");
        Path good = dir.resolve("good.json");
        Files.writeString(good, bundle(3, 8).toJson());
        assertThat(run("--log-key", log.vkey(), "--bundle", good.toString(), "--state", state.toString())).isZero();
        assertThat(Files.readString(state)).contains("\n8\n");
        // a later bundle carrying its own consistency proof from the trusted size
        RecordBundle later = bundle(11, 20);
        later = new RecordBundle(null, later.leaf(), later.leafIndex(), later.hashes(), later.checkpoint(), 8L,
                Rfc9162.proof(8, leaves.subList(0, 20)));
        Path next = dir.resolve("next.json");
        Files.writeString(next, later.toJson());
        assertThat(run("--log-key", log.vkey(), "--bundle", next.toString(), "--state", state.toString())).isZero();
        assertThat(run("--log-key", log.vkey(), "--bundle", good.toString(), "--state", state.toString()))
                .isEqualTo(Verdict.STALE.exitCode());
        RecordBundle b = bundle(3, 20);
        Path tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, b.withLeaf("{\"i\":4}".getBytes(StandardCharsets.UTF_8)).toJson());
        assertThat(run("--log-key", log.vkey(), "--bundle", tampered.toString(), "--state", state.toString()))
                .isEqualTo(Verdict.NOT_INCLUDED.exitCode());
        assertThat(run("--log-key", log.vkey())).isEqualTo(Verdict.USAGE.exitCode());
        assertThat(run("--log-key", "not-a-key", "--bundle", good.toString())).isEqualTo(Verdict.USAGE.exitCode());
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"leaf\":\"AA==\"}");
        assertThat(run("--log-key", log.vkey(), "--bundle", junk.toString(), "--state", state.toString()))
                .isEqualTo(Verdict.MALFORMED.exitCode());
    }

    private static int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.run(args, new PrintStream(out), new PrintStream(out));
    }

    private static void assertVerdict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Verdict verdict) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VerificationException.class,
                e -> assertThat(e.verdict()).as(e.getMessage()).isEqualTo(verdict));
    }
}

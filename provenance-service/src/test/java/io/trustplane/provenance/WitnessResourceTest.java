package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.Rfc9162;
import io.trustplane.verifier.Main;
import io.trustplane.verifier.NoteKey;
import io.trustplane.verifier.SignedNote;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Witness cosigning against witnesses written in the test (each keeps its own state and checks consistency with the
 * testing module's RFC 9162 verifier): cosignatures are merged into the served checkpoint, finality waits for the
 * quorum, a 409 is answered with a proof from the witness's size, a witness refuses a forked tree, a witness whose
 * cosignatures do not verify with its configured key never counts, and the verifier command accepts the result.
 */
@QuarkusTest
@TestProfile(WitnessResourceTest.Witnesses.class)
class WitnessResourceTest {

    static final TestWitness W1 = witness("w1", "witness-one.test");
    static final TestWitness W2 = witness("w2", "witness-two.test");
    /** Configured with another key than the one it signs with: its cosignatures must never count. */
    static final TestWitness W3 = witness("w3", "witness-three.test");

    @ConfigProperty(name = "trustplane.log.key-file")
    String logKeyFile;

    private static final String OPERATOR = TestKeys.tokens().operator();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** Three witnesses, quorum 2; the third is configured with a key it does not sign with. */
    public static class Witnesses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                String wrongKey = witness("w3-other", "witness-three.test").vkey();
                return Map.of("trustplane.provenance.witness.endpoints.w1.url", W1.url(),
                        "trustplane.provenance.witness.endpoints.w1.key", W1.vkey(),
                        "trustplane.provenance.witness.endpoints.w2.url", W2.url(),
                        "trustplane.provenance.witness.endpoints.w2.key", W2.vkey(),
                        "trustplane.provenance.witness.endpoints.w3.url", W3.url(),
                        "trustplane.provenance.witness.endpoints.w3.key", wrongKey,
                        "trustplane.provenance.witness.quorum", "2",
                        "trustplane.provenance.witness.timeout", "2s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    static void startWitnesses() throws Exception {
        for (TestWitness w : List.of(W1, W2, W3)) {
            w.start();
        }
    }

    @BeforeEach
    void trustTheLog() {
        String key = given().auth().oauth2(operator()).get("/v1/log/key").then().statusCode(200).extract().asString();
        for (TestWitness w : List.of(W1, W2, W3)) {
            w.trust(key);
        }
    }

    @AfterAll
    static void stopWitnesses() {
        W1.close();
        W2.close();
        W3.close();
    }

    @Test
    void finalityWaitsForTheQuorumAndTheVerifierAcceptsTheCosignedCheckpoint() throws Exception {
        W2.refusing = true;
        long first = create("wit-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> W1.size() >= first && W3.size() >= first);
        // only one valid cosignature so far: the latest checkpoint shows it, finality is held back
        String latest = await().atMost(Duration.ofSeconds(30)).until(() -> checkpoint(""),
                note -> note.contains("\u2014 witness-one.test "));
        assertThat(latest).doesNotContain("witness-three.test");
        String finalNow = given().auth().oauth2(operator()).get("/v1/log/checkpoint?final=true").asString();
        if (finalNow.startsWith("trustplane")) {
            assertThat(C2spNote.verify(finalNow, logVerifierKey()).size()).isLessThan(first);
        }
        SignedNote one = SignedNote.parse(latest);
        assertThat(one.verifyCosignatures(List.of(NoteKey.parse(W1.vkey()), NoteKey.parse(W2.vkey())))).hasSize(1);

        W2.refusing = false;
        long second = create("wit-1");
        String fin = await().atMost(Duration.ofSeconds(30)).until(() -> checkpoint("?final=true"),
                note -> note.startsWith("trustplane") && SignedNote.parse(note).size() >= second);
        SignedNote cosigned = SignedNote.parse(fin);
        assertThat(cosigned.verifyCosignatures(List.of(NoteKey.parse(W1.vkey()), NoteKey.parse(W2.vkey()),
                NoteKey.parse(W3.vkey())))).extracting(c -> c.witness().name())
                .containsExactly("witness-one.test", "witness-two.test");
        C2spNote.verify(fin, logVerifierKey()); // still the log's signed note for a plain C2SP client
        assertThat(given().auth().oauth2(operator()).get("/v1/log/tiles/checkpoint?final=true").asString())
                .startsWith("trustplane");

        // the verifier command, online: the record, its proof at the final size, the witness quorum
        String id = createId("wit-2");
        await().atMost(Duration.ofSeconds(30)).until(() -> W1.size() > second && W2.size() > second);
        Path state = Files.createTempDirectory("verifier").resolve("state");
        await().atMost(Duration.ofSeconds(30)).until(() -> verify(state, id, W1.vkey(), W2.vkey(), "2") == 0);
        // W3's own key: the service never merged its cosignatures (they did not verify with the configured key)
        assertThat(verify(state, id, W3.vkey(), null, "1")).isEqualTo(5);
    }

    @Test
    void aConflictIsAnsweredWithAProofFromTheWitnessSize() throws Exception {
        W1.refusing = true;
        long ahead = create("wit-3");
        // the witness learns a newer checkpoint than the service has seen it cosign (e.g. from another replica)
        String note = given().auth().oauth2(operator()).get("/v1/log/checkpoint").asString();
        String plain = note.substring(0, note.indexOf("\n\n") + 2) + note.substring(note.indexOf("\n\n") + 2)
                .lines().filter(l -> l.startsWith("\u2014 trustplane")).map(l -> l + "\n").findFirst().orElseThrow();
        long size = SignedNote.parse(plain).size();
        assertThat(size).isGreaterThanOrEqualTo(ahead);
        List<String> proof = given().auth().oauth2(operator()).get("/v1/log/consistency?from=" + W1.size() + "&to=" + size)
                .jsonPath().getList("hashes", String.class);
        StringBuilder body = new StringBuilder("old " + W1.size() + "\n");
        proof.forEach(h -> body.append(h).append('\n'));
        assertThat(W1.addCheckpoint(body + "\n" + plain).status()).isEqualTo(200);
        int conflicts = W1.conflicts.get();
        W1.refusing = false;
        long next = create("wit-3");
        await().atMost(Duration.ofSeconds(30)).until(() -> W1.size() >= next);
        assertThat(W1.conflicts.get()).isGreaterThan(conflicts);
        assertThat(W1.rejected.get()).isZero();
    }

    @Test
    void aWitnessRefusesAForkedTree() throws Exception {
        create("wit-4");
        await().atMost(Duration.ofSeconds(30)).until(() -> W2.size() > 0);
        W2.refusing = true; // the service cannot move it while the test does
        try {
            long size = W2.size();
            List<byte[]> leaves = new ArrayList<>();
            for (Map<String, Object> r : LogAssertions.allRecords().subList(0, (int) size)) {
                leaves.add(Base64.getDecoder().decode((String) r.get("leaf")));
            }
            assertThat(Rfc9162.mth(leaves)).isEqualTo(W2.root());
            List<byte[]> forked = new ArrayList<>(leaves);
            forked.set(0, "{\"forged\":true}".getBytes(StandardCharsets.UTF_8));
            forked.add("{\"appended\":true}".getBytes(StandardCharsets.UTF_8));
            // a forked tree one leaf larger, validly signed by the log key, with the fork's own consistency proof
            String forkNote = sign(size + 1, Rfc9162.mth(forked));
            StringBuilder body = new StringBuilder("old " + size + "\n");
            for (byte[] h : Rfc9162.proof((int) size, forked)) {
                body.append(Base64.getEncoder().encodeToString(h)).append('\n');
            }
            assertThat(W2.addCheckpoint(body + "\n" + forkNote).status()).isEqualTo(422);
            // the same size with another root
            String sameSize = sign(size, Rfc9162.mth(forked.subList(0, (int) size)));
            assertThat(W2.addCheckpoint("old " + size + "\n\n" + sameSize).status()).isEqualTo(422);
            assertThat(W2.size()).isEqualTo(size);
            assertThat(W2.root()).isEqualTo(Rfc9162.mth(leaves));
        } finally {
            W2.refusing = false;
        }
        // and the real log still moves it on
        long next = create("wit-4");
        await().atMost(Duration.ofSeconds(30)).until(() -> W2.size() >= next);
    }

    private int verify(Path state, String id, String witness, String witness2, String quorum) throws Exception {
        List<String> args = new ArrayList<>(List.of("--id", id, "--log-url", "http://localhost:" + port,
                "--token", operator(), "--log-key", logVerifierKey(), "--state", state.toString(),
                "--witness", witness, "--quorum", quorum));
        if (witness2 != null) {
            args.addAll(List.of("--witness", witness2));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.run(args.toArray(String[]::new), new PrintStream(out), new PrintStream(out));
    }

    private static String checkpoint(String query) {
        return given().auth().oauth2(operator()).get("/v1/log/checkpoint" + query).asString();
    }

    /** Creates a record and returns the size of the first checkpoint that covers it. */
    private static long create(String agent) {
        return given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType(ContentType.JSON)
                .body("{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\"}").post("/v1/provenance")
                .then().statusCode(201).extract().jsonPath().getLong("leafIndex") + 1;
    }

    private static String createId(String agent) {
        return given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType(ContentType.JSON)
                .body("{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\"}").post("/v1/provenance")
                .then().statusCode(201).extract().jsonPath().getString("id");
    }

    private static String operator() {
        return OPERATOR;
    }

    /** The log's verifier key as the service serves it. */
    static String logVerifierKey() {
        return given().auth().oauth2(operator()).get("/v1/log/key").then().statusCode(200).extract().asString().trim();
    }

    /** A checkpoint note signed with the log's own key (read from its key file), as an operator forking it would. */
    private String sign(long size, byte[] root) throws Exception {
        String text = "trustplane.local/provenance\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
        String pem = Files.readString(Path.of(logKeyFile)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(java.security.KeyFactory.getInstance("Ed25519").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem))));
        s.update(text.getBytes(StandardCharsets.UTF_8));
        byte[] id = HexFormat.of().parseHex(logVerifierKey().split("\\+")[1]);
        byte[] blob = new byte[68];
        System.arraycopy(id, 0, blob, 0, 4);
        System.arraycopy(s.sign(), 0, blob, 4, 64);
        return text + "\n\u2014 trustplane.local/provenance " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    private static TestWitness witness(String id, String name) {
        try {
            return TestWitness.shared(id, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

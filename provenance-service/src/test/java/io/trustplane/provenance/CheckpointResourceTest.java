package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.log.C2spNote;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The checkpoint's exact C2SP bytes and its Ed25519 signed-note signature, checked by the test's own verifier. */
@QuarkusTest
class CheckpointResourceTest {

    private static final String ORIGIN = "trustplane.local/provenance";
    private static final Pattern NOTE = Pattern.compile("\\Q" + ORIGIN + "\\E\\n(0|[1-9][0-9]*)\\n([A-Za-z0-9+/]{43}=)\\n"
            + "\\n\u2014 \\Q" + ORIGIN + "\\E ([A-Za-z0-9+/]{91}=)\\n");
    private static final Pattern KEY = Pattern.compile("\\Q" + ORIGIN + "\\E\\+([0-9a-f]{8})\\+([A-Za-z0-9+/]{44})");

    @Test
    void checkpointIsAC2spSignedNoteWithExactBytes() throws Exception {
        given().auth().oauth2(TestKeys.tokens().agent("cp-1")).contentType(ContentType.JSON)
                .body("{\"agentId\":\"cp-1\",\"creationType\":\"FRESH\"}").post("/v1/provenance").then().statusCode(201);
        String note = given().auth().oauth2(TestKeys.tokens().agent("cp-1")).get("/v1/log/checkpoint")
                .then().statusCode(200).contentType(ContentType.TEXT).extract().asString();
        String key = given().auth().oauth2(TestKeys.tokens().agent("cp-1")).get("/v1/log/key")
                .then().statusCode(200).extract().asString();

        Matcher m = NOTE.matcher(note);
        assertThat(m.matches()).as("note bytes: %s", note).isTrue();
        Matcher k = KEY.matcher(key);
        assertThat(k.matches()).as("verifier key %s", key).isTrue();
        byte[] sigBlob = Base64.getDecoder().decode(m.group(3));
        assertThat(sigBlob).hasSize(68);
        // the signature line's key id is the verifier key's id
        assertThat(java.util.HexFormat.of().formatHex(sigBlob, 0, 4)).isEqualTo(k.group(1));
        assertThat(Base64.getDecoder().decode(k.group(2))[0]).isEqualTo((byte) 0x01);

        C2spNote.Checkpoint cp = C2spNote.verify(note, key);
        assertThat(cp.origin()).isEqualTo(ORIGIN);
        assertThat(cp.size()).isEqualTo(Long.parseLong(m.group(1))).isPositive();
        assertThat(Base64.getEncoder().encodeToString(cp.root())).isEqualTo(m.group(2));
        LogAssertions.assertOneConsistentTree();
    }

    @Test
    void aTamperedNoteFailsVerification() throws Exception {
        given().auth().oauth2(TestKeys.tokens().agent("cp-2")).contentType(ContentType.JSON)
                .body("{\"agentId\":\"cp-2\",\"creationType\":\"FRESH\"}").post("/v1/provenance").then().statusCode(201);
        String note = given().auth().oauth2(TestKeys.tokens().agent("cp-2")).get("/v1/log/checkpoint").asString();
        String key = given().auth().oauth2(TestKeys.tokens().agent("cp-2")).get("/v1/log/key").asString();
        C2spNote.verify(note, key);

        String[] lines = note.split("\n", -1);
        // a different tree size
        String biggerSize = ORIGIN + "\n" + (Long.parseLong(lines[1]) + 1) + note.substring(note.indexOf('\n', ORIGIN.length() + 1));
        assertThatThrownBy(() -> C2spNote.verify(biggerSize, key)).isInstanceOf(SecurityException.class);
        // a different root
        byte[] root = Base64.getDecoder().decode(lines[2]);
        root[0] ^= 1;
        String otherRoot = note.replace(lines[2], Base64.getEncoder().encodeToString(root));
        assertThatThrownBy(() -> C2spNote.verify(otherRoot, key)).isInstanceOf(SecurityException.class);
        // a flipped signature bit
        String sigLine = lines[4];
        byte[] blob = Base64.getDecoder().decode(sigLine.substring(sigLine.lastIndexOf(' ') + 1));
        blob[10] ^= 1;
        String badSig = note.replace(sigLine, sigLine.substring(0, sigLine.lastIndexOf(' ') + 1)
                + Base64.getEncoder().encodeToString(blob));
        assertThatThrownBy(() -> C2spNote.verify(badSig, key)).isInstanceOf(SecurityException.class);
        // another key with the same name is not this log's key
        // (the base64 part may itself contain '+': cut at fixed offsets after the name)
        String otherKey = key.substring(0, key.indexOf('+')) + "+00000000+" + key.substring(key.indexOf('+') + 10);
        assertThatThrownBy(() -> C2spNote.verify(note, otherKey)).isInstanceOf(SecurityException.class);
    }
}

package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.Rfc9162;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Test helpers that read the log over HTTP and check it with the independent verifiers only. */
final class LogAssertions {

    private LogAssertions() {
    }

    static String operator() {
        return TestKeys.tokens().operator();
    }

    /** Every record in log order, paging with the API. */
    static List<Map<String, Object>> allRecords() {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(operator()).queryParam("limit", 500);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/provenance").then().statusCode(200).extract().jsonPath();
            all.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return all;
    }

    /** The latest checkpoint, verified as a signed note with the served verifier key. */
    static C2spNote.Checkpoint checkpoint() throws Exception {
        String note = given().auth().oauth2(operator()).get("/v1/log/checkpoint").then().statusCode(200)
                .extract().asString();
        String key = given().auth().oauth2(operator()).get("/v1/log/key").then().statusCode(200).extract().asString();
        return C2spNote.verify(note, key);
    }

    /**
     * The whole log is one consistent tree: leaf indexes are 0..n-1, each leaf hash is SHA-256(0x00 || leaf),
     * and the RFC 6962 root over all leaves equals the signed checkpoint's root.
     */
    static C2spNote.Checkpoint assertOneConsistentTree() throws Exception {
        C2spNote.Checkpoint cp = checkpoint();
        List<Map<String, Object>> all = allRecords();
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> r = all.get(i);
            assertThat(((Number) r.get("leafIndex")).longValue()).isEqualTo(i);
            byte[] leaf = Base64.getDecoder().decode((String) r.get("leaf"));
            assertThat(Base64.getEncoder().encodeToString(Rfc9162.leaf(leaf))).isEqualTo(r.get("leafHash"));
            leaves.add(leaf);
        }
        assertThat(cp.size()).isGreaterThanOrEqualTo(all.size());
        assertThat(Rfc9162.mth(leaves.subList(0, (int) cp.size()))).isEqualTo(cp.root());
        return cp;
    }
}

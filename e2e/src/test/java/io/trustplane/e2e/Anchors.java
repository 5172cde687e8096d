package io.trustplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.Rfc9162;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads anchors back from provenance-service and checks them with the testing module's own RFC 9162 and C2SP code,
 * not the service's: an agent's anchors, the signed checkpoint, and one anchor's inclusion proof against it.
 */
final class Anchors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Anchors() {
    }

    /** The anchors of one agent's events (the envelope's subject), as their records (parsed), up to 500. */
    static List<JsonNode> of(E2e s, String agent) throws IOException {
        List<Map<String, Object>> items = JsonPath.from(s.as("provenance", s.operator())
                .queryParam("agentId", agent).queryParam("creationType", "IMPORTED").queryParam("limit", 500)
                .get("/v1/provenance").then().statusCode(200).extract().asString()).getList("items");
        List<JsonNode> records = new ArrayList<>();
        for (Map<String, Object> item : items) {
            records.add(JSON.readTree(s.as("provenance", s.operator()).get("/v1/provenance/" + item.get("id")).then()
                    .statusCode(200).extract().asString()));
        }
        return records;
    }

    /** The anchors of one agent's events of one type (the signed leaf's event type), as their records (parsed). */
    static List<JsonNode> of(E2e s, String agent, String type) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode record : of(s, agent)) {
            if (type.equals(signedLeaf(record).at("/metadata/event/type").asText())) {
                found.add(record);
            }
        }
        return found;
    }

    /** The log's current checkpoint, its Ed25519 signature verified with the key the log publishes. */
    static C2spNote.Checkpoint head(E2e s) throws Exception {
        String key = s.as("provenance", s.operator()).get("/v1/log/key").then().statusCode(200).extract().asString()
                .trim();
        return C2spNote.verify(s.as("provenance", s.operator()).get("/v1/log/checkpoint").then().statusCode(200)
                .extract().asString(), key);
    }

    /** The leaf an anchor record carries, as signed by the log (parsed). */
    static JsonNode signedLeaf(JsonNode record) throws IOException {
        return JSON.readTree(Base64.getDecoder().decode(record.get("leaf").asText()));
    }

    /** Asserts that {@code record}'s leaf is in the tree {@code head} signs, by its inclusion proof. */
    static void assertIncluded(E2e s, JsonNode record, C2spNote.Checkpoint head, String what) {
        byte[] leafHash = Rfc9162.leaf(Base64.getDecoder().decode(record.get("leaf").asText()));
        long index = record.get("leafIndex").asLong();
        assertThat(index).as("leaf index of %s", what).isLessThan(head.size());
        JsonPath proof = JsonPath.from(s.as("provenance", s.operator()).queryParam("treeSize", head.size())
                .get("/v1/provenance/" + record.get("id").asText() + "/proof").then().statusCode(200).extract()
                .asString());
        List<byte[]> path = proof.getList("hashes", String.class).stream().map(h -> Base64.getDecoder().decode(h))
                .toList();
        assertThat(Rfc9162.verifyInclusion(index, head.size(), leafHash, path, head.root()))
                .as("inclusion of %s in the signed checkpoint of size %d", what, head.size()).isTrue();
    }
}

package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.Rfc9162;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Creating, reading, listing and proving records over HTTP against real PostgreSQL and Redis. */
@QuarkusTest
class ProvenanceResourceTest {

    static JsonPath create(String agent, String body) {
        return given().auth().oauth2(TestKeys.tokens().agent(agent)).contentType(ContentType.JSON).body(body)
                .post("/v1/provenance").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void createReturnsTheIntegratedLeafAndASignedCheckpointThatProvesIt() throws Exception {
        JsonPath r = create("agent-7", "{\"agentId\":\"agent-7\",\"creationType\":\"FRESH\","
                + "\"contentHash\":\"sha256:abc\",\"metadata\":{\"b\":2,\"a\":[1,\"x\"]}}");
        long index = r.getLong("leafIndex");
        long treeSize = r.getLong("treeSize");
        assertThat(index).isLessThan(treeSize);
        byte[] leaf = Base64.getDecoder().decode(r.getString("leaf"));
        String canonical = new String(leaf, StandardCharsets.UTF_8);
        // RFC 8785: keys sorted, no whitespace
        assertThat(canonical).startsWith("{\"agentId\":\"agent-7\",\"contentHash\":\"sha256:abc\",\"createdAt\":")
                .contains("\"metadata\":{\"a\":[1,\"x\"],\"b\":2}").contains("\"id\":\"" + r.getString("id") + "\"");
        assertThat(Base64.getEncoder().encodeToString(Rfc9162.leaf(leaf))).isEqualTo(r.getString("leafHash"));

        String key = given().auth().oauth2(TestKeys.tokens().agent("agent-7")).get("/v1/log/key").asString();
        C2spNote.Checkpoint cp = C2spNote.verify(r.getString("checkpoint"), key);
        assertThat(cp.size()).isEqualTo(treeSize);

        JsonPath proof = given().auth().oauth2(TestKeys.tokens().agent("agent-7"))
                .queryParam("treeSize", treeSize)
                .get("/v1/provenance/" + r.getString("id") + "/proof").then().statusCode(200).extract().jsonPath();
        List<byte[]> hashes = proof.getList("hashes", String.class).stream().map(Base64.getDecoder()::decode).toList();
        assertThat(Rfc9162.verifyInclusion(index, treeSize, Rfc9162.leaf(leaf), hashes, cp.root())).isTrue();
        assertThat(proof.getString("checkpoint")).isEqualTo(r.getString("checkpoint"));

        given().auth().oauth2(TestKeys.tokens().agent("agent-7")).get("/v1/provenance/" + r.getString("id"))
                .then().statusCode(200).body("leafIndex", equalTo((int) index)).body("metadata.b", equalTo(2));
        // another agent may not read it, nor learn its place in the log
        given().auth().oauth2(TestKeys.tokens().agent("agent-8")).get("/v1/provenance/" + r.getString("id"))
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestKeys.tokens().agent("agent-8")).get("/v1/provenance/" + r.getString("id") + "/proof")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void lineageIsTheFullParentChainAndCarriesParentHashes() {
        JsonPath root = create("lin-a", "{\"agentId\":\"lin-a\",\"creationType\":\"FRESH\"}");
        JsonPath mid = create("lin-a", "{\"agentId\":\"lin-a\",\"creationType\":\"EVOLVED\",\"parentId\":\""
                + root.getString("id") + "\"}");
        JsonPath leaf = create("lin-a", "{\"agentId\":\"lin-a\",\"creationType\":\"CLONED\",\"parentId\":\""
                + mid.getString("id") + "\"}");
        assertThat(leaf.getString("parentHash")).isEqualTo(mid.getString("leafHash"));
        assertThat(mid.getString("parentHash")).isEqualTo(root.getString("leafHash"));
        given().auth().oauth2(TestKeys.tokens().agent("lin-a")).get("/v1/provenance/" + leaf.getString("id") + "/lineage")
                .then().statusCode(200).body("length", equalTo(3))
                .body("chain.id", equalTo(List.of(leaf.getString("id"), mid.getString("id"), root.getString("id"))));
    }

    @Test
    void anAgentNamesOnlyItsOwnRecordsAsParentAndLineageRedactsWhatItMayNotRead() {
        // issue 18.1: agent A named B's record as parent (201) and then read B's record through its own lineage
        JsonPath theirs = create("lin-b", "{\"agentId\":\"lin-b\",\"creationType\":\"FRESH\","
                + "\"contentHash\":\"sha256:secret\",\"metadata\":{\"secret\":\"b-only\"}}");
        String unknown = "018f0000-0000-7000-8000-000000000000";
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> forbidden = given().auth()
                .oauth2(TestKeys.tokens().agent("lin-c")).contentType(ContentType.JSON)
                .body("{\"agentId\":\"lin-c\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + theirs.getString("id") + "\"}")
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("unknown_parent")).body("errors[0].field", equalTo("parentId")).extract();
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> missing = given().auth()
                .oauth2(TestKeys.tokens().agent("lin-c")).contentType(ContentType.JSON)
                .body("{\"agentId\":\"lin-c\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + unknown + "\"}")
                .post("/v1/provenance").then().statusCode(422).contentType("application/problem+json").extract();
        // existence is no oracle: the two answers differ only in the id the caller sent
        assertThat(forbidden.asString().replace(theirs.getString("id"), "ID"))
                .isEqualTo(missing.asString().replace(unknown, "ID"));

        // a privileged caller may link across agents (e.g. a service recording a derivation); the agent's lineage
        // then shows the other agent's record as a placeholder, never its content
        JsonPath child = given().auth().oauth2(TestKeys.tokens().service()).contentType(ContentType.JSON)
                .body("{\"agentId\":\"lin-c\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + theirs.getString("id") + "\"}")
                .post("/v1/provenance").then().statusCode(201).extract().jsonPath();
        JsonPath grandchild = create("lin-c", "{\"agentId\":\"lin-c\",\"creationType\":\"CLONED\",\"parentId\":\""
                + child.getString("id") + "\"}");
        String lineage = given().auth().oauth2(TestKeys.tokens().agent("lin-c"))
                .get("/v1/provenance/" + grandchild.getString("id") + "/lineage")
                .then().statusCode(200).body("length", equalTo(3))
                .body("chain.id", equalTo(List.of(grandchild.getString("id"), child.getString("id"), theirs.getString("id"))))
                .body("chain[0].agentId", equalTo("lin-c")).body("chain[1].agentId", equalTo("lin-c"))
                .body("chain[2].redacted", equalTo(true)).body("chain[2].agentId", nullValue())
                .body("chain[2].contentHash", nullValue()).body("chain[2].metadata", nullValue())
                .body("chain[2].leaf", nullValue()).body("chain[2].leafIndex", nullValue())
                .extract().asString();
        // (the child's own parentHash, the hash of the parent's leaf, stays: it is part of the child's signed leaf)
        assertThat(lineage).doesNotContain("b-only").doesNotContain("sha256:secret").doesNotContain("lin-b");
        // the owner of the parent and operators see the whole chain
        given().auth().oauth2(TestKeys.tokens().operator()).get("/v1/provenance/" + grandchild.getString("id") + "/lineage")
                .then().statusCode(200).body("chain[2].agentId", equalTo("lin-b"))
                .body("chain[2].metadata.secret", equalTo("b-only")).body("chain[2].redacted", nullValue());
        // and another agent still cannot start a lineage or a proof at a record that is not its own
        given().auth().oauth2(TestKeys.tokens().agent("lin-b")).get("/v1/provenance/" + grandchild.getString("id") + "/lineage")
                .then().statusCode(403).contentType("application/problem+json");
        // its own records as parent stay fine
        create("lin-b", "{\"agentId\":\"lin-b\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + theirs.getString("id") + "\"}");
    }

    @Test
    void badInputIsProblemJsonNamingTheFieldAndStoresNothing() throws Exception {
        long before = LogAssertions.checkpoint().size();
        String agent = TestKeys.tokens().agent("agent-bad");
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"agent-bad\",\"creationType\":\"SPAWNED\"}").post("/v1/provenance")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("creationType")));
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"agent-bad\",\"creationType\":\"CLONED\",\"parentId\":\"" + UUID.randomUUID() + "\"}")
                .post("/v1/provenance")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", hasItem("parentId"));
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"agent-bad\",\"creationType\":\"FRESH\",\"metadata\":{\"blob\":\""
                        + "x".repeat(20_000) + "\"}}")
                .post("/v1/provenance")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("metadata"));
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"agent-7\",\"creationType\":\"FRESH\"}").post("/v1/provenance")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"agent bad!\",\"creationType\":\"FRESH\"}").post("/v1/provenance")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("agentId")));
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"agent-bad\"}").post("/v1/provenance")
                .then().statusCode(400).body("errors.field", hasItem(org.hamcrest.Matchers.containsString("creationType")));
        given().auth().oauth2(agent).queryParam("creationType", "NOPE").get("/v1/provenance")
                .then().statusCode(400).body("errors.field", hasItem("creationType"));
        given().auth().oauth2(agent).queryParam("cursor", "garbage!").get("/v1/provenance")
                .then().statusCode(400).body("errors.field", hasItem("cursor"));
        given().auth().oauth2(agent).queryParam("limit", 501).get("/v1/provenance")
                .then().statusCode(400).body("errors.field", hasItem("limit"));
        given().auth().oauth2(agent).queryParam("from", "yesterday").get("/v1/provenance")
                .then().statusCode(400).body("errors.field", hasItem("from"));
        given().auth().oauth2(agent).queryParam("agentId", "agent-7").get("/v1/provenance")
                .then().statusCode(403);
        given().auth().oauth2(agent).get("/v1/provenance/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(agent).get("/v1/provenance/not-a-uuid").then().statusCode(400)
                .body("errors.field", hasItem("id"));
        given().auth().oauth2(agent).queryParam("from", 5).queryParam("to", 1_000_000).get("/v1/log/consistency")
                .then().statusCode(400).body("errors.field", hasItem("to"));
        given().auth().oauth2(agent).queryParam("agentId", "agent-bad").get("/v1/provenance")
                .then().statusCode(200).body("items.size()", equalTo(0));
        assertThat(LogAssertions.checkpoint().size()).isEqualTo(before);
    }

    @Test
    void aServiceMayRecordForAnAgentAndFiltersCombine() {
        String service = TestKeys.tokens().service();
        for (String type : List.of("FRESH", "PROMOTED", "FRESH")) {
            given().auth().oauth2(service).contentType(ContentType.JSON)
                    .body("{\"agentId\":\"filter-1\",\"creationType\":\"" + type + "\"}").post("/v1/provenance")
                    .then().statusCode(201);
        }
        given().auth().oauth2(TestKeys.tokens().agent("filter-1")).queryParam("creationType", "FRESH").get("/v1/provenance")
                .then().statusCode(200).body("items.size()", equalTo(2)).body("nextCursor", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(LogAssertions.operator()).queryParam("agentId", "filter-1")
                .queryParam("creationType", "PROMOTED").queryParam("from", "2000-01-01T00:00:00Z")
                .queryParam("to", "2999-01-01T00:00:00Z").get("/v1/provenance")
                .then().statusCode(200).body("items.size()", equalTo(1));
        given().auth().oauth2(LogAssertions.operator()).queryParam("agentId", "filter-1")
                .queryParam("to", "2000-01-01T00:00:00Z").get("/v1/provenance")
                .then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void paginationReturnsEveryRecordExactlyOnceWhileWritesContinue() throws Exception {
        String agent = "pager-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> existing = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            existing.add(create(agent, "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\"}").getString("id"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            // a write between every page
            create(agent, "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\",\"metadata\":{\"page\":" + pages + "}}");
            var request = given().auth().oauth2(TestKeys.tokens().agent(agent)).queryParam("limit", 4);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/provenance").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(seen).doesNotHaveDuplicates().containsAll(existing);
        assertThat(pages).isLessThan(100);
    }

    @Test
    void aPageCarriesOneSignedCheckpointThatProvesEveryRecordOnItAndEachRecordNamesItsOwnBySize() throws Exception {
        String agent = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        List<JsonPath> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // one at a time, so the records land in different checkpoints
            created.add(create(agent, "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\"}"));
        }
        String token = TestKeys.tokens().agent(agent);
        String key = given().auth().oauth2(token).get("/v1/log/key").asString();
        JsonPath page = given().auth().oauth2(token).queryParam("limit", 3).get("/v1/provenance")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        assertThat(items).hasSize(3);
        C2spNote.Checkpoint cp = C2spNote.verify(page.getString("checkpoint"), key);
        for (int i = 0; i < items.size(); i++) {
            JsonPath own = created.get(i);
            assertThat(items.get(i)).containsEntry("id", own.getString("id")).doesNotContainKey("checkpoint");
            // the record names the checkpoint that first included it by size, and that one is served by size
            long treeSize = ((Number) items.get(i).get("treeSize")).longValue();
            assertThat(treeSize).isEqualTo(own.getLong("treeSize"));
            assertThat(given().auth().oauth2(token).queryParam("size", treeSize).get("/v1/log/checkpoint")
                    .then().statusCode(200).extract().asString()).isEqualTo(own.getString("checkpoint"));
            // and the page's checkpoint includes it: its inclusion proof at that size leads to the signed root
            assertThat(cp.size()).isGreaterThanOrEqualTo(treeSize);
            JsonPath proof = given().auth().oauth2(token).queryParam("treeSize", cp.size())
                    .get("/v1/provenance/" + own.getString("id") + "/proof").then().statusCode(200).extract()
                    .jsonPath();
            List<byte[]> hashes = proof.getList("hashes", String.class).stream().map(Base64.getDecoder()::decode)
                    .toList();
            byte[] leaf = Base64.getDecoder().decode((String) items.get(i).get("leaf"));
            assertThat(Rfc9162.verifyInclusion(own.getLong("leafIndex"), cp.size(), Rfc9162.leaf(leaf), hashes,
                    cp.root())).isTrue();
        }
        // the checkpoint of the page's last record (or a later one) is the page's: the largest size it read
        assertThat(cp.size()).isGreaterThanOrEqualTo(created.get(2).getLong("treeSize"));
        given().auth().oauth2(token).queryParam("agentId", agent).queryParam("to", "2000-01-01T00:00:00Z")
                .get("/v1/provenance").then().statusCode(200).body("items", org.hamcrest.Matchers.empty())
                .body("checkpoint", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(token).queryParam("size", Long.MAX_VALUE).get("/v1/log/checkpoint").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token).queryParam("size", 0).get("/v1/log/checkpoint").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("size"));
        given().auth().oauth2(token).queryParam("size", "x").get("/v1/log/checkpoint").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("size"));
    }

    @Test
    void aCheckpointAskedForBeforeItIsPublishedIsServedOnceItIs() throws Exception {
        // checkpoint notes are remembered once read; an absent one must not be remembered as absent
        String agent = "early-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestKeys.tokens().agent(agent);
        String key = given().auth().oauth2(token).get("/v1/log/key").asString();
        long head = C2spNote.verify(given().auth().oauth2(token).get("/v1/log/checkpoint").asString(), key).size();
        int ahead = 50;
        for (long size = head + 1; size <= head + ahead; size++) {
            given().auth().oauth2(token).queryParam("size", size).get("/v1/log/checkpoint").then().statusCode(404);
        }
        JsonPath created = create(agent, "{\"agentId\":\"" + agent + "\",\"creationType\":\"FRESH\"}");
        long treeSize = created.getLong("treeSize");
        // this class is the log's only writer here: fewer than 50 records arrive between the two steps
        assertThat(treeSize).isBetween(head + 1, head + ahead);
        String served = given().auth().oauth2(token).queryParam("size", treeSize).get("/v1/log/checkpoint").then()
                .statusCode(200).extract().asString();
        assertThat(served).isEqualTo(created.getString("checkpoint"));
        assertThat(C2spNote.verify(served, key).size()).isEqualTo(treeSize);
        // and the page that holds the record carries that checkpoint (or a later one that includes it)
        String pageCheckpoint = given().auth().oauth2(token).get("/v1/provenance").then().statusCode(200).extract()
                .jsonPath().getString("checkpoint");
        assertThat(C2spNote.verify(pageCheckpoint, key).size()).isGreaterThanOrEqualTo(treeSize);
    }

    @Test
    void unparsableNumericQueryParametersAre400NamingTheParameterAndDuplicateKeysAre400NamingTheKey() {
        // issue 18.8: these were 404s naming nothing; 18.7: {"k":1,"k":2} was stored as 2
        String agent = TestKeys.tokens().agent("q-agent");
        for (String[] c : new String[][] {{"/v1/provenance?limit=abc", "limit"},
                {"/v1/provenance?limit=2%5E63", "limit"}, {"/v1/provenance?limit=9223372036854775808", "limit"},
                {"/v1/log/consistency?from=abc&to=2", "from"}, {"/v1/log/consistency?from=1&to=1.5", "to"},
                {"/v1/provenance/" + UUID.randomUUID() + "/proof?treeSize=x", "treeSize"}}) {
            given().auth().oauth2(agent).get(c[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c[1]));
        }
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"q-agent\",\"creationType\":\"FRESH\",\"metadata\":{\"k\":1,\"k\":2}}")
                .post("/v1/provenance").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("metadata.k"));
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body("{\"agentId\":\"q-agent\",\"agentId\":\"q-agent\",\"creationType\":\"FRESH\"}")
                .post("/v1/provenance").then().statusCode(400).body("errors[0].field", equalTo("agentId"));
        given().auth().oauth2(agent).get("/v1/provenance?agentId=q-agent").then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void consistencyProofsBetweenCheckpointsVerify() throws Exception {
        C2spNote.Checkpoint first = LogAssertions.checkpoint();
        create("cons-1", "{\"agentId\":\"cons-1\",\"creationType\":\"FRESH\"}");
        create("cons-1", "{\"agentId\":\"cons-1\",\"creationType\":\"FRESH\"}");
        C2spNote.Checkpoint second = LogAssertions.checkpoint();
        JsonPath c = given().auth().oauth2(LogAssertions.operator()).queryParam("from", first.size())
                .queryParam("to", second.size()).get("/v1/log/consistency").then().statusCode(200).extract().jsonPath();
        List<byte[]> hashes = c.getList("hashes", String.class).stream().map(Base64.getDecoder()::decode).toList();
        if (first.size() > 0) {
            assertThat(Rfc9162.verifyConsistency(first.size(), second.size(), first.root(), second.root(), hashes)).isTrue();
        }
        LogAssertions.assertOneConsistentTree();
        Set<String> types = LogAssertions.allRecords().stream().map(r -> (String) r.get("creationType"))
                .collect(Collectors.toSet());
        assertThat(types).contains("FRESH");
        Map<String, Object> unused = Map.of();
        assertThat(unused).isEmpty();
    }
}

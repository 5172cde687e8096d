package io.trustplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.path.json.JsonPath;
import io.trustplane.testing.log.C2spNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.trustplane.e2e.Flows.startTask;
import static io.trustplane.e2e.Flows.toSpec;
import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every ledger entry lease-service writes becomes an anchor in provenance-service's log, submitted by lease-service
 * inside the signed leaf, whose inclusion proof verifies (with the testing module's own RFC 9162 code, not the
 * service's) against a checkpoint whose Ed25519 signature verifies; entries forged straight into Redis are not.
 */
@ExtendWith(E2e.Extension.class)
class AnchorsTest {

    private final E2e suite;

    AnchorsTest(E2e suite) {
        this.suite = suite;
    }

    private List<Map<String, Object>> ledger(String task) {
        return JsonPath.from(suite.as("lease", suite.operator()).get("/v1/tasks/" + task + "/ledger").then()
                .statusCode(200).extract().asString()).getList("entries");
    }

    private List<JsonNode> anchorLeaves(String agent) throws Exception {
        return Anchors.of(suite, agent);
    }

    @Test
    void everyLedgerEntryIsAnchoredByLeaseServiceAndProvablyInTheSignedLog() throws Exception {
        String agent = unique("anchored");
        String task = unique("T-anchor");
        long token = startTask(suite, agent, task);
        toSpec(suite, agent, task, token);
        List<Map<String, Object>> entries = ledger(task);
        assertThat(entries).hasSizeGreaterThanOrEqualTo(2);

        await().atMost(Duration.ofSeconds(60)).until(() -> anchorLeaves(agent).stream()
                .filter(r -> task.equals(r.at("/metadata/event/data/taskId").asText())).count() >= entries.size());
        C2spNote.Checkpoint head = Anchors.head(suite);

        List<JsonNode> anchors = anchorLeaves(agent);
        for (Map<String, Object> entry : entries) {
            JsonNode record = anchors.stream()
                    .filter(r -> task.equals(r.at("/metadata/event/data/taskId").asText())
                            && r.at("/metadata/event/data/seq").asLong() == ((Number) entry.get("seq")).longValue())
                    .findFirst().orElseThrow(() -> new AssertionError("no anchor of " + task + "#" + entry.get("seq")));
            // the signed leaf itself says who submitted it and which hash it anchors
            JsonNode signed = Anchors.signedLeaf(record);
            assertThat(signed.at("/metadata/submitter").asText()).isEqualTo("lease-service");
            assertThat(signed.at("/metadata/kind").asText()).isEqualTo("anchor");
            assertThat(signed.at("/metadata/event/data/hash").asText()).isEqualTo(entry.get("hash"));
            Anchors.assertIncluded(suite, record, head, task + "#" + entry.get("seq"));
        }
    }

    private JsonPath verify(String task) {
        return JsonPath.from(suite.as("lease", suite.operator()).get("/v1/tasks/" + task + "/ledger/verify").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void ledgerVerifyTellsPerEntryWhetherItsAnchorIsPresentAndGenuine() throws Exception {
        String agent = unique("verified");
        String task = unique("T-verify");
        long token = startTask(suite, agent, task);
        toSpec(suite, agent, task, token);
        int entries = ledger(task).size();
        await().atMost(Duration.ofSeconds(60)).until(() -> verify(task).getList("anchors.status").stream()
                .filter("ANCHORED"::equals).count() == entries);
        JsonPath ok = verify(task);
        assertThat(ok.getBoolean("valid")).isTrue();
        assertThat(ok.getBoolean("anchorsChecked")).isTrue();

        // someone with database access rewrites entry 1 and appends an entry 2 nobody anchored
        String forgedHash = "ab".repeat(32);
        assertThat(suite.sql("lease", "UPDATE ledger_entries SET hash = ? WHERE task_id = ? AND seq = 1",
                forgedHash, task)).isEqualTo(1);
        assertThat(suite.sql("lease", "INSERT INTO ledger_entries (task_id, seq, kind, body, prev_hash, hash, created_at)"
                + " VALUES (?, ?, 'TRANSITION', '{}', ?, ?, now())", task, (long) entries, forgedHash,
                "cd".repeat(32))).isEqualTo(1);
        JsonPath after = verify(task);
        assertThat(after.getBoolean("valid")).isFalse();
        Map<Integer, String> status = new java.util.HashMap<>();
        List<Map<String, Object>> anchors = after.getList("anchors");
        anchors.forEach(a -> status.put(((Number) a.get("seq")).intValue(), (String) a.get("status")));
        assertThat(status).containsEntry(0, "ANCHORED").containsEntry(1, "NOT_GENUINE").containsEntry(entries, "MISSING");
    }

    private static String tag(byte[] key, String canonical) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(canonical.getBytes()));
    }

    @Test
    void anchorsWrittenStraightIntoRedisAreNotAppendedUnlessTaggedWithTheProducersKey() throws Exception {
        String agent = unique("forger");
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> forged = new ArrayList<>();
        for (String auth : new String[] {null, "AAAA", tag(new byte[32], "{}")}) {
            String id = UUID.randomUUID().toString();
            forged.add(id);
            String json = "{\"id\":\"" + id + "\",\"type\":\"ledger.appended\",\"source\":\"lease-service\","
                    + "\"subject\":\"" + agent + "\",\"time\":\"" + time + "\",\"data\":{\"taskId\":\"T-forged\","
                    + "\"seq\":1,\"hash\":\"" + "00".repeat(32) + "\"}" + (auth == null ? "" : ",\"auth\":\"" + auth + "\"")
                    + "}";
            assertThat(suite.redis("XADD", "tp:anchor", "*", "event", json)).startsWith("$");
        }
        // a genuine entry after them, tagged with lease-service's key over its RFC 8785 form (keys sorted)
        String id = UUID.randomUUID().toString();
        String canonical = "{\"data\":{\"hash\":\"" + "11".repeat(32) + "\",\"seq\":1,\"taskId\":\"T-genuine\"},"
                + "\"id\":\"" + id + "\",\"source\":\"lease-service\",\"subject\":\"" + agent + "\",\"time\":\"" + time
                + "\",\"type\":\"ledger.appended\"}";
        String genuine = canonical.substring(0, canonical.length() - 1) + ",\"auth\":\""
                + tag(suite.anchorKey("lease-service"), canonical) + "\"}";
        assertThat(suite.redis("XADD", "tp:anchor", "*", "event", genuine)).startsWith("$");

        // one consumer handles the stream in order: once the genuine entry is a leaf, the forged ones were handled
        await().atMost(Duration.ofSeconds(60)).until(() -> !anchorLeaves(agent).isEmpty());
        List<JsonNode> leaves = anchorLeaves(agent);
        assertThat(leaves).hasSize(1);
        assertThat(leaves.get(0).at("/metadata/event/id").asText()).isEqualTo(id);
        assertThat(forged).doesNotContain(leaves.get(0).at("/metadata/event/id").asText());
    }
}

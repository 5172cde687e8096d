package io.trustplane.lease.rest;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.trustplane.common.events.Streams;
import io.trustplane.testing.PgEndpoint;
import io.trustplane.testing.TrustplaneTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static io.trustplane.lease.rest.LeaseApi.acquire;
import static io.trustplane.lease.rest.LeaseApi.agent;
import static io.trustplane.lease.rest.LeaseApi.createTask;
import static io.trustplane.lease.rest.LeaseApi.fencing;
import static io.trustplane.lease.rest.LeaseApi.newTaskId;
import static io.trustplane.lease.rest.LeaseApi.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * A transition's first statement does the move's work before the checks have answered; these pin what a user relies
 * on: a refused transition leaves no trace of the move (phase, leases, fencing counters, ledger, attestations, move
 * events), and an accepted one appends exactly one ledger entry whose hash links to the chain, as worked out here by
 * hand from the stored body.
 */
@QuarkusTest
class TransitionResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The events a committed move writes; a refusal writes only its own refusal events. */
    private static final List<String> MOVE_EVENTS = List.of("\"phase.transitioned\"", "\"phase.backtracked\"",
            "\"lease.released\"", "\"lease.acquired\"", "\"lease.expired\"", "\"ledger.appended\"");

    @Inject
    RedisDataSource redis;

    private static Connection db() throws SQLException {
        PgEndpoint pg = TrustplaneTestResource.infrastructure().postgres();
        return DriverManager.getConnection(pg.jdbcUrl("trustplane_lease"), pg.user(), pg.password());
    }

    private static List<String> rows(Connection c, String sql, String task) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, task);
            ResultSet r = s.executeQuery();
            ResultSetMetaData m = r.getMetaData();
            List<String> out = new ArrayList<>();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    row.append(m.getColumnName(i)).append('=').append(r.getString(i)).append(' ');
                }
                out.add(row.toString());
            }
            return out;
        }
    }

    private static void exec(String sql, String arg) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            s.executeUpdate();
        }
    }

    /** Everything a move writes about the task, as stored. */
    private static List<String> stored(String task) throws SQLException {
        try (Connection c = db()) {
            List<String> out = new ArrayList<>();
            out.addAll(rows(c, "SELECT phase, version, updated_at FROM tasks WHERE task_id = ?", task));
            out.addAll(rows(c, "SELECT lease_id, phase, holder, fencing_token, acquired_at, expires_at, renewals, "
                    + "status, ended_at, end_reason FROM leases WHERE task_id = ? ORDER BY acquired_at, lease_id", task));
            out.addAll(rows(c, "SELECT phase, last_token FROM lease_keys WHERE task_id = ? ORDER BY phase", task));
            out.addAll(rows(c, "SELECT seq, kind, body, prev_hash, hash FROM ledger_entries WHERE task_id = ? "
                    + "ORDER BY seq", task));
            out.addAll(rows(c, "SELECT phase, version, spec_hash, active FROM attestation_baselines "
                    + "WHERE task_id = ? ORDER BY phase, version", task));
            out.addAll(rows(c, "SELECT attestation_id, phase, baseline, drift FROM attestations WHERE task_id = ? "
                    + "ORDER BY created_at, attestation_id", task));
            return out;
        }
    }

    /** The task's move events written so far (relayed to the streams or still in the outbox). */
    private long moveEvents(String task) throws SQLException {
        await().atMost(WAIT).until(() -> {
            try (Connection c = db()) {
                return rows(c, "SELECT id FROM event_outbox WHERE strpos(payload, ?) > 0", task).isEmpty();
            }
        });
        long n = 0;
        for (String stream : List.of(Streams.EVENTS, Streams.ANCHOR)) {
            for (StreamMessage<String, String, String> m : redis.stream(String.class)
                    .xrange(stream, StreamRange.of("-", "+"), 1_000_000)) {
                String json = m.payload().get(Streams.FIELD);
                if (json.contains(task) && MOVE_EVENTS.stream().anyMatch(json::contains)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Map<String, Object> prompt(String requirement) {
        return Map.of("requirements", List.of(requirement), "agentType", "coder", "modelVersion", "m-1");
    }

    private static io.restassured.response.ValidatableResponse attested(String agentId, String task, String to,
            long token, List<String> evidence, String requirement) {
        return given().auth().oauth2(agent(agentId)).contentType("application/json")
                .body(Map.of("to", to, "fencingToken", token, "evidence",
                        evidence.stream().map(LeaseApi::evidence).toList(), "attestation", prompt(requirement)))
                .when().post("/v1/tasks/" + task + "/transitions").then();
    }

    @Test
    void aRefusedTransitionChangesNothingWhereverItIsRefused() throws Exception {
        String me = "agent-refused-" + newTaskId();
        String task = newTaskId();
        createTask(me, task).statusCode(201);
        long first = ((Number) acquire(me, task, "STRATEGIZE", null).statusCode(201).extract().path("fencingToken"))
                .longValue();
        long token = ((Number) attested(me, task, "SPEC", first, List.of("strategy"), "spec it").statusCode(200)
                .extract().path("fencingToken")).longValue();
        // the target of a hand-off is held by someone else: the statement has ended the caller's lease by then
        acquire("agent-squatter-" + task, task, "PLAN", 120).statusCode(201);

        List<String> before = stored(task);
        long eventsBefore = moveEvents(task);

        attested(me, task, "PLAN", token + 1, List.of("spec"), "plan it").statusCode(409)
                .body("code", equalTo("stale_fencing_token"));
        attested("agent-intruder", task, "PLAN", token, List.of("spec"), "plan it").statusCode(403)
                .body("code", equalTo("not_lease_holder"));
        attested(me, task, "SPEC", token, List.of("spec"), "plan it").statusCode(409)
                .body("code", equalTo("same_phase"));
        attested(me, task, "THINK", token, List.of("spec", "plan"), "plan it").statusCode(409)
                .body("code", equalTo("phase_skip"));
        attested(me, task, "PLAN", token, List.of(), "plan it").statusCode(422)
                .body("code", equalTo("evidence_gate_failed")).body("missing", hasItem("spec"));
        attested(me, task, "PLAN", token, List.of("spec"), "plan it").statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("phase_lease_contention"))
                .body("holder", equalTo("agent-squatter-" + task)).body("errors.field", hasItem("to"));
        // contained while holding its lease (a containment in flight): the backtrack would go through otherwise
        exec("INSERT INTO contained_holders (holder, reason, contained_by) VALUES (?, 'test', 'operator')", me);
        try {
            // the checks still answer first
            attested(me, task, "STRATEGIZE", token + 1, List.of(), "back").statusCode(409)
                    .body("code", equalTo("stale_fencing_token"));
            attested(me, task, "STRATEGIZE", token, List.of(), "back").statusCode(409)
                    .contentType("application/problem+json").body("code", equalTo("holder_contained"));
        } finally {
            exec("DELETE FROM contained_holders WHERE holder = ?", me);
        }

        assertThat(stored(task)).as("phase, leases, fencing counters, ledger, baselines, attestations")
                .containsExactlyElementsOf(before);
        assertThat(moveEvents(task)).as("move events").isEqualTo(eventsBefore);
        fencing(task, "SPEC", token).body("current", equalTo(true));
        // and the lease still works: the backtrack the containment refused goes through now
        transition(me, task, "STRATEGIZE", token, List.of()).statusCode(200).body("kind", equalTo("BACKTRACK"))
                .body("ledgerEntry.seq", equalTo(2));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final Pattern TIME = Pattern.compile("\"time\":\"(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z)\"");

    private static String time(String body) {
        Matcher m = TIME.matcher(body);
        assertThat(m.find()).as("a UTC time in microseconds in " + body).isTrue();
        return m.group(1);
    }

    @Test
    void anAcceptedTransitionAppendsExactlyOneEntryLinkedToTheChain() throws Exception {
        String me = "agent-chain";
        String task = newTaskId();
        createTask(me, task).statusCode(201);
        long token = ((Number) acquire(me, task, "STRATEGIZE", null).statusCode(201).extract().path("fencingToken"))
                .longValue();
        assertThat(token).isEqualTo(1);
        ExtractableResponse<Response> r = attested(me, task, "SPEC", token, List.of("strategy"), "chain it")
                .statusCode(200).body("kind", equalTo("FORWARD")).body("fencingToken", equalTo(1))
                .body("ledgerEntry.seq", equalTo(1)).extract();
        String leaseId = r.path("lease.leaseId");
        String specHash = r.path("attestation.specHash");

        List<String[]> entries = new ArrayList<>();
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT seq, kind, body, prev_hash, hash FROM ledger_entries WHERE task_id = ? ORDER BY seq")) {
            s.setString(1, task);
            ResultSet rows = s.executeQuery();
            while (rows.next()) {
                entries.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5)});
            }
        }
        assertThat(entries).as("the genesis entry and exactly one transition").hasSize(2);
        String[] genesis = entries.get(0);
        String[] moved = entries.get(1);

        String genesisBody = "{\"actor\":\"" + me + "\",\"data\":{\"phase\":\"STRATEGIZE\",\"title\":\"Task " + task
                + "\"},\"kind\":\"GENESIS\",\"seq\":0,\"taskId\":\"" + task + "\",\"time\":\"" + time(genesis[2])
                + "\"}";
        assertThat(genesis[2]).isEqualTo(genesisBody);
        assertThat(genesis[3]).isEqualTo("0".repeat(64));
        assertThat(genesis[4]).isEqualTo(sha256(genesisBody + "0".repeat(64)));

        String body = "{\"actor\":\"" + me + "\",\"data\":{\"attestation\":{\"baseline\":true,\"drift\":false,"
                + "\"specHash\":\"" + specHash + "\"},\"evidence\":[{\"kind\":\"strategy\",\"sha256\":\""
                + "a".repeat(64) + "\",\"uri\":\"s3://evidence/strategy\"}],\"fencingToken\":1,\"from\":\"STRATEGIZE\","
                + "\"kind\":\"FORWARD\",\"leaseId\":\"" + leaseId + "\",\"newFencingToken\":1,\"to\":\"SPEC\"},"
                + "\"kind\":\"TRANSITION\",\"seq\":1,\"taskId\":\"" + task + "\",\"time\":\"" + time(moved[2]) + "\"}";
        assertThat(moved[0]).isEqualTo("1");
        assertThat(moved[1]).isEqualTo("TRANSITION");
        assertThat(moved[2]).isEqualTo(body);
        assertThat(moved[3]).as("links to the genesis entry").isEqualTo(genesis[4]);
        assertThat(moved[4]).isEqualTo(sha256(body + genesis[4]));
        assertThat((String) r.path("ledgerEntry.hash")).isEqualTo(moved[4]);

        try (Connection c = db()) {
            assertThat(rows(c, "SELECT phase, fencing_token, status, end_reason FROM leases WHERE task_id = ? "
                    + "ORDER BY acquired_at", task)).containsExactly(
                    "phase=STRATEGIZE fencing_token=1 status=HANDED_OFF end_reason=transition to SPEC ",
                    "phase=SPEC fencing_token=1 status=ACTIVE end_reason=null ");
            assertThat(rows(c, "SELECT phase, version, active FROM attestation_baselines WHERE task_id = ?", task))
                    .containsExactly("phase=SPEC version=1 active=t ");
            assertThat(rows(c, "SELECT phase, baseline, drift FROM attestations WHERE task_id = ?", task))
                    .containsExactly("phase=SPEC baseline=t drift=f ");
            assertThat(rows(c, "SELECT phase, version FROM tasks WHERE task_id = ?", task))
                    .containsExactly("phase=SPEC version=1 ");
        }
        given().auth().oauth2(agent(me)).when().get("/v1/tasks/" + task + "/ledger/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }
}

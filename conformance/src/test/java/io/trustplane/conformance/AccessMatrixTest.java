package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.conformance.RawHttp.Header;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of every service against every identity ({@link Identity}): exactly the cells {@link AccessTable}
 * allows get past authentication and authorization; the others get 401 (no token, or a broken one) or 403 (a valid
 * token without the right), as problem+json. A route the services serve but the table does not name fails the test,
 * and so does a table row no service serves.
 */
@ExtendWith(Conformance.Extension.class)
@Order(2)
class AccessMatrixTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Refusals first, so a granted call cannot hide what a refused one would have done. */
    private static final List<Identity> ORDER = List.of(Identity.NONE, Identity.EXPIRED, Identity.WRONG_ISSUER,
            Identity.WRONG_SIGNATURE, Identity.ALG_NONE, Identity.AGENT_OTHER, Identity.AGENT_SELF, Identity.OPERATOR,
            Identity.ADMIN, Identity.SERVICE);

    @Test
    void onlyTheAllowedCellsGetPastAuthenticationAndAuthorization(Conformance suite) throws IOException {
        Map<Identity, String> tokens = new EnumMap<>(Identity.class);
        for (Identity id : Identity.values()) {
            tokens.put(id, id.token(suite));
        }
        Map<String, String> fixtures = fixtures(suite, tokens);

        List<String> failures = new ArrayList<>();
        StringBuilder md = new StringBuilder("# Access matrix\n\nA = allowed (got past 401/403), 401/403 = refused as "
                + "expected; a cell that did otherwise fails the test.\n\n| service | route |");
        ORDER.forEach(i -> md.append(' ').append(i.name().toLowerCase().replace('_', ' ')).append(" |"));
        md.append(" note |\n|---|---|").append("---|".repeat(ORDER.size())).append("---|\n");
        int cells = 0;
        for (Conformance.Service service : suite.services()) {
            Map<String, AccessTable.Route> table = AccessTable.byKey(service.name());
            for (OpenApi.Operation op : service.operations()) {
                if (!table.containsKey(op.key())) {
                    failures.add(service.name() + " serves " + op.key() + ", which the access table does not name");
                }
            }
            for (AccessTable.Route route : table.values()) {
                OpenApi.Operation op = service.operations().stream().filter(o -> o.key().equals(route.key()))
                        .findFirst().orElse(null);
                if (op == null) {
                    failures.add("the access table names " + service.name() + " " + route.key() + ", which it does not serve");
                    continue;
                }
                md.append("| ").append(service.spec().shortName()).append(" | `").append(route.key()).append("` |");
                for (Identity identity : ORDER) {
                    RawHttp.Response r = send(service, op, route.call().apply(fixtures), tokens.get(identity));
                    cells++;
                    String cell = check(route, identity, r);
                    if (cell.startsWith("FAIL")) {
                        failures.add(service.name() + " " + route.key() + " as " + identity + ": " + cell + " body: "
                                + RawHttp.abbreviate(r.text()));
                    }
                    md.append(' ').append(cell.startsWith("FAIL") ? "**" + r.status() + "**" : cell).append(" |");
                }
                md.append(' ').append(route.note()).append(" |\n");
            }
        }
        // the one identity outside the ten that a route admits: a configured validator voting
        RawHttp.Response vote = send(suite.service("gate"), null, new AccessTable.Call("/v1/escalations/"
                + fixtures.get("escalation") + "/votes", "{\"approve\":true}"), suite.minter().agent("validator-1"));
        cells++;
        if (vote.status() == 401 || vote.status() == 403 || vote.status() >= 500) {
            failures.add("validator-1 could not vote: " + vote.status() + " " + vote.text());
        }
        md.append("\n**").append(cells).append(" cells** (").append(AccessTable.ROUTES.size()).append(" routes x ")
                .append(ORDER.size()).append(" identities, and validator-1 voting).\n");
        Path out = Path.of("target", "access-matrix.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        assertThat(failures).isEmpty();
        assertThat(cells).isEqualTo(AccessTable.ROUTES.size() * ORDER.size() + 1);
    }

    /** "A", "401", "403", or "FAIL: why". */
    private static String check(AccessTable.Route route, Identity identity, RawHttp.Response r) {
        List<String> violations = Checks.violations(r, false);
        if (!violations.isEmpty()) {
            return "FAIL: " + r.status() + " " + violations;
        }
        if (route.allowed().contains(identity)) {
            return r.status() == 401 || r.status() == 403 || r.status() == 429 ? "FAIL: refused with " + r.status() : "A";
        }
        int expected = identity.valid() ? 403 : 401;
        if (r.status() != expected) {
            return "FAIL: expected " + expected + ", got " + r.status();
        }
        return Integer.toString(expected);
    }

    private static RawHttp.Response send(Conformance.Service service, OpenApi.Operation op, AccessTable.Call call,
            String token) {
        String method = op == null ? "POST" : op.method();
        List<Header> headers = new ArrayList<>();
        if (token != null) {
            headers.add(new Header("Authorization", "Bearer " + token));
        }
        byte[] body = null;
        if (call.body() != null) {
            headers.add(new Header("Content-Type", "application/json"));
            body = call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return service.http().send(new RawHttp.Request(method, call.target(), headers, body, true),
                op != null && op.eventStream());
    }

    /** What the matrix's requests refer to: owned by {@link Identity#SELF}, created through the API. */
    private static Map<String, String> fixtures(Conformance suite, Map<Identity, String> tokens) {
        Map<String, String> f = new LinkedHashMap<>();
        String self = tokens.get(Identity.AGENT_SELF);
        String admin = tokens.get(Identity.ADMIN);
        Conformance.Service lease = suite.service("lease");
        ok(lease, "POST", "/v1/tasks", self, "{\"taskId\":\"conf-task-main\",\"title\":\"Matrix\"}");
        f.put("task.main", "conf-task-main");
        JsonNode main = ok(lease, "POST", "/v1/leases", self,
                "{\"taskId\":\"conf-task-main\",\"phase\":\"STRATEGIZE\",\"ttlSeconds\":3600}");
        f.put("lease.main.token", main.get("fencingToken").asText());
        for (String name : List.of("get", "del", "renew", "force")) {
            JsonNode l = ok(lease, "POST", "/v1/leases", self,
                    "{\"taskId\":\"conf-task-" + name + "\",\"phase\":\"SPEC\",\"ttlSeconds\":3600}");
            f.put("lease." + name, l.get("leaseId").asText());
        }
        f.put("task.att", "conf-task-att");
        ok(lease, "POST", "/v1/attestations", self, "{\"taskId\":\"conf-task-att\",\"phase\":\"STRATEGIZE\","
                + "\"agentType\":\"coder\",\"modelVersion\":\"m-1\"}");

        JsonNode record = ok(suite.service("provenance"), "POST", "/v1/provenance", self, "{\"agentId\":\""
                + Identity.SELF + "\",\"creationType\":\"FRESH\"}");
        f.put("record", record.get("id").asText());
        f.put("log.size", record.get("treeSize").asText());

        Conformance.Service gate = suite.service("gate");
        ok(gate, "PUT", "/v1/agents/" + Identity.SELF, admin, "{\"trustScore\":300}");
        ok(gate, "PUT", "/v1/agents/conf-agent-target", admin, "{\"trustScore\":500}");
        JsonNode escalation = ok(gate, "POST", "/v1/role-gates/evaluate", self, "{\"agentId\":\"" + Identity.SELF
                + "\",\"role\":\"DATA_ANALYST\",\"context\":{\"resourceId\":\"r-1\",\"action\":\"read\"}}");
        assertThat(escalation.path("decision").asText()).as(escalation.toString()).isEqualTo("ESCALATE");
        f.put("escalation", escalation.get("escalationId").asText());
        ok(gate, "POST", "/v1/flags", admin, "{\"flag\":\"conf-flag\"}");
        f.put("policy", ok(gate, "POST", "/v1/policies", admin, "{\"name\":\"matrix\",\"priority\":1,"
                + "\"effect\":\"ALLOW\",\"enabled\":false}").get("id").asText());

        ok(suite.service("telemetry"), "POST", "/v1/alert-rules", admin, "{\"id\":\"conf-rule\",\"name\":\"Matrix\","
                + "\"kind\":\"THRESHOLD\",\"counter\":\"conf_matrix\",\"windowSeconds\":300,\"threshold\":1000000,"
                + "\"severity\":\"LOW\"}");
        f.put("alert", UUID.nameUUIDFromBytes("alert".getBytes()).toString());
        f.put("subscription", UUID.nameUUIDFromBytes("subscription".getBytes()).toString());
        f.put("silence", UUID.nameUUIDFromBytes("silence".getBytes()).toString());
        return f;
    }

    private static JsonNode ok(Conformance.Service service, String method, String target, String token, String body) {
        RawHttp.Response r = service.http().send(new RawHttp.Request(method, target, List.of(
                new Header("Authorization", "Bearer " + token), new Header("Content-Type", "application/json")),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), true), false);
        assertThat(r.status()).as("set-up %s %s on %s: %s", method, target, service.name(), r.text())
                .isBetween(200, 299);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

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
        int derived = derivedReads(suite, tokens, failures, md);
        cells += derived;
        md.append("\n**").append(cells).append(" cells** (").append(AccessTable.ROUTES.size()).append(" routes x ")
                .append(ORDER.size()).append(" identities, validator-1 voting, and ").append(derived)
                .append(" derived reads across agents).\n");
        Path out = Path.of("target", "access-matrix.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        assertThat(failures).isEmpty();
        assertThat(cells).isEqualTo(AccessTable.ROUTES.size() * ORDER.size() + 1 + derived);
    }

    /**
     * Reads derived from records (lineage, proofs, listings, parent links, the ledger export) where the records
     * belong to another agent: a record of {@link Identity#OTHER}, and a record of {@link Identity#SELF} that a
     * service derived from it. Nothing of the other agent's record may reach the agent but its id, and naming it as
     * a parent must answer as an unknown id does. Returns how many checks ran.
     */
    private static int derivedReads(Conformance suite, Map<Identity, String> tokens, List<String> failures,
            StringBuilder md) {
        Conformance.Service provenance = suite.service("provenance");
        String self = tokens.get(Identity.AGENT_SELF);
        String other = tokens.get(Identity.AGENT_OTHER);
        String operator = tokens.get(Identity.OPERATOR);
        String theirs = ok(provenance, "POST", "/v1/provenance", other, "{\"agentId\":\"" + Identity.OTHER
                + "\",\"creationType\":\"FRESH\",\"contentHash\":\"sha256:conf-other-secret\","
                + "\"metadata\":{\"owner\":\"conf-other-only\"}}").get("id").asText();
        String linked = ok(provenance, "POST", "/v1/provenance", tokens.get(Identity.SERVICE), "{\"agentId\":\""
                + Identity.SELF + "\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + theirs + "\"}").get("id").asText();
        String unknown = UUID.nameUUIDFromBytes("no-such-record".getBytes()).toString();
        String[] secrets = {"conf-other-only", "sha256:conf-other-secret", Identity.OTHER};

        md.append("\n## Derived reads across agents (and late tokens)\n\n| check | expected | got |\n|---|---|---|\n");
        int n = 0;
        for (Conformance.Service service : suite.services()) {
            // minted right before use: 30 s past exp, beyond the 5 s skew (SmallRye's default 60 s admitted it)
            String late = suite.minter().mint(io.trustplane.testing.TokenMinter.ISSUER, Identity.SELF,
                    java.time.Instant.now().minusSeconds(30), "agent", "operator", "admin", "service");
            n += derived(md, failures, service.spec().shortName() + ": a token 30 s past its exp", 401,
                    call(service, "GET", "/v1/whoami", late, null), true);
        }
        RawHttp.Response namedTheirs = call(provenance, "POST", "/v1/provenance", self, "{\"agentId\":\""
                + Identity.SELF + "\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + theirs + "\"}");
        RawHttp.Response namedUnknown = call(provenance, "POST", "/v1/provenance", self, "{\"agentId\":\""
                + Identity.SELF + "\",\"creationType\":\"EVOLVED\",\"parentId\":\"" + unknown + "\"}");
        n += derived(md, failures, "agent names another agent's record as parent", 422, namedTheirs,
                namedTheirs.text().contains("\"code\":\"unknown_parent\""));
        n += derived(md, failures, "agent names an unknown id as parent: the same answer", 422, namedUnknown,
                namedUnknown.text().replace(unknown, "ID").equals(namedTheirs.text().replace(theirs, "ID")));
        RawHttp.Response lineage = call(provenance, "GET", "/v1/provenance/" + linked + "/lineage", self, null);
        boolean redacted = lineage.text().contains("\"redacted\":true")
                && java.util.Arrays.stream(secrets).noneMatch(lineage.text()::contains);
        n += derived(md, failures, "agent reads the lineage of its record derived from another's", 200, lineage,
                redacted);
        RawHttp.Response full = call(provenance, "GET", "/v1/provenance/" + linked + "/lineage", operator, null);
        n += derived(md, failures, "operator reads the same lineage in full", 200, full,
                full.text().contains("conf-other-only") && !full.text().contains("\"redacted\""));
        n += derived(md, failures, "the other agent reads that lineage", 403,
                call(provenance, "GET", "/v1/provenance/" + linked + "/lineage", other, null), true);
        n += derived(md, failures, "agent reads the lineage of another's record", 403,
                call(provenance, "GET", "/v1/provenance/" + theirs + "/lineage", self, null), true);
        n += derived(md, failures, "agent reads the inclusion proof of another's record", 403,
                call(provenance, "GET", "/v1/provenance/" + theirs + "/proof", self, null), true);
        n += derived(md, failures, "the owner reads that proof", 200,
                call(provenance, "GET", "/v1/provenance/" + theirs + "/proof", other, null), true);
        n += derived(md, failures, "agent lists another agent's records", 403,
                call(provenance, "GET", "/v1/provenance?agentId=" + Identity.OTHER, self, null), true);
        RawHttp.Response export = call(suite.service("lease"), "GET", "/v1/tasks/conf-task-main/ledger?format=jsonl",
                other, null);
        n += derived(md, failures, "another agent exports a task's ledger (ledgers are not private; it holds no "
                + "provenance content)", 200, export, !export.text().contains("conf-other-only"));
        return n;
    }

    private static int derived(StringBuilder md, List<String> failures, String check, int expected,
            RawHttp.Response r, boolean contentOk) {
        List<String> violations = Checks.violations(r, false);
        boolean ok = r.status() == expected && contentOk && violations.isEmpty();
        if (!ok) {
            failures.add("derived read: " + check + ": expected " + expected + ", got " + r.status()
                    + (contentOk ? "" : " (content check failed)") + " " + violations + " body: "
                    + RawHttp.abbreviate(r.text()));
        }
        md.append("| ").append(check).append(" | ").append(expected).append(" | ")
                .append(ok ? r.status() : "**" + r.status() + "**").append(" |\n");
        return 1;
    }

    private static RawHttp.Response call(Conformance.Service service, String method, String target, String token,
            String body) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("Authorization", "Bearer " + token));
        if (body != null) {
            headers.add(new Header("Content-Type", "application/json"));
        }
        return service.http().send(new RawHttp.Request(method, target, headers,
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), true), false);
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
        // attesting a phase takes its lease (only the holder, or the privileged, may attest)
        for (String phase : List.of("STRATEGIZE", "SPEC")) {
            ok(lease, "POST", "/v1/leases", self, "{\"taskId\":\"conf-task-att\",\"phase\":\"" + phase
                    + "\",\"ttlSeconds\":3600}");
        }
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

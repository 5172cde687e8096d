package io.trustplane.conformance;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.trustplane.conformance.Identity.ADMIN;
import static io.trustplane.conformance.Identity.AGENT_OTHER;
import static io.trustplane.conformance.Identity.AGENT_SELF;
import static io.trustplane.conformance.Identity.OPERATOR;
import static io.trustplane.conformance.Identity.SELF;
import static io.trustplane.conformance.Identity.SERVICE;

/**
 * Who may call what: every route of every service, the identities that must get past authentication and
 * authorization, and a request that names the resources of {@link Identity#SELF} (so "another agent" is tested
 * against someone else's lease, record or counters). Everyone not listed gets 403 with a valid token and 401
 * without one. The table is written out by hand on purpose: it is the specification the services are held to,
 * not something derived from their annotations.
 */
final class AccessTable {

    /** A request as the matrix sends it; {@code fixtures} holds the ids the set-up created. */
    record Call(String target, String body) {
    }

    /** One row: a route, who may call it, what to send, and why (for rules beyond the role). */
    record Route(String service, String key, Set<Identity> allowed, Function<Map<String, String>, Call> call,
            String note) {
    }

    private static final Set<Identity> ALL = EnumSet.of(AGENT_SELF, AGENT_OTHER, OPERATOR, ADMIN, SERVICE);
    /** The agent itself and the privileged roles: another agent is refused by "an agent acts only as itself". */
    private static final Set<Identity> SELF_OR_PRIVILEGED = EnumSet.of(AGENT_SELF, OPERATOR, ADMIN, SERVICE);
    private static final Set<Identity> READERS = EnumSet.of(OPERATOR, ADMIN, SERVICE);
    private static final Set<Identity> OPS = EnumSet.of(OPERATOR, ADMIN);
    private static final Set<Identity> ADMIN_ONLY = EnumSet.of(ADMIN);
    private static final Set<Identity> NOBODY = EnumSet.noneOf(Identity.class);
    private static final Set<Identity> AGENTS = EnumSet.of(AGENT_SELF, AGENT_OTHER);

    static final String EVIDENCE = "{\"kind\":\"strategy\",\"uri\":\"s3://evidence/strategy\",\"sha256\":\"" + "a".repeat(64) + "\"}";

    static final List<Route> ROUTES = new ArrayList<>();

    static {
        // ---- lease-service
        lease("GET /v1/whoami", ALL, f -> get("/v1/whoami"), "");
        lease("GET /v1/attestations/stats", ALL, f -> get("/v1/attestations/stats"), "");
        lease("POST /v1/attestations", SELF_OR_PRIVILEGED, f -> post("/v1/attestations", "{\"taskId\":\""
                + f.get("task.att") + "\",\"phase\":\"SPEC\",\"agentType\":\"coder\",\"modelVersion\":\"m-1\"}"),
                "the holder of the phase's lease, or anyone privileged: nobody else sets or poisons its baseline");
        lease("POST /v1/attestations/baselines/reset", OPS, f -> post("/v1/attestations/baselines/reset",
                "{\"taskId\":\"" + f.get("task.att") + "\",\"phase\":\"STRATEGIZE\",\"reason\":\"matrix\"}"), "");
        lease("POST /v1/fencing/check", ALL, f -> post("/v1/fencing/check", "{\"taskId\":\"" + f.get("task.main")
                + "\",\"phase\":\"STRATEGIZE\",\"fencingToken\":1}"), "");
        lease("GET /v1/leases", ALL, f -> get("/v1/leases?taskId=" + f.get("task.main")), "an agent sees only its own");
        lease("GET /v1/leases/events", ALL, f -> get("/v1/leases/events"), "an agent hears only its own leases");
        lease("POST /v1/leases", ALL, f -> post("/v1/leases", "{\"taskId\":\"conf-task-acquire\",\"phase\":\"SPEC\","
                + "\"ttlSeconds\":3600}"), "");
        lease("GET /v1/leases/{leaseId}", SELF_OR_PRIVILEGED, f -> get("/v1/leases/" + f.get("lease.get")),
                "the holder, or anyone privileged");
        lease("POST /v1/leases/{leaseId}/renew", EnumSet.of(AGENT_SELF), f -> post("/v1/leases/" + f.get("lease.renew")
                + "/renew", "{\"ttlSeconds\":3600}"), "holder only, even for operators (they force-release)");
        lease("POST /v1/leases/{leaseId}/force-release", OPS, f -> post("/v1/leases/" + f.get("lease.force")
                + "/force-release", "{\"reason\":\"matrix\"}"), "");
        lease("POST /v1/leases/force-release-holder", READERS, f -> post("/v1/leases/force-release-holder",
                "{\"holder\":\"conf-holds-nothing\",\"reason\":\"matrix\"}"),
                "gate-service's containment of an agent (the service role); never an agent's own call");
        lease("POST /v1/leases/lift-holder", READERS,
                f -> post("/v1/leases/lift-holder", "{\"holder\":\"conf-holds-nothing\"}"),
                "gate-service lifting an agent's containment (the service role); never an agent's own call");
        lease("DELETE /v1/leases/{leaseId}", EnumSet.of(AGENT_SELF), f -> delete("/v1/leases/" + f.get("lease.del")),
                "holder only, even for operators (they force-release)");
        lease("GET /v1/tasks", ALL, f -> get("/v1/tasks?limit=5"), "an agent lists only its own tasks");
        lease("POST /v1/tasks", ALL, f -> post("/v1/tasks", "{\"taskId\":\"conf-task-created\",\"title\":\"Matrix\"}"), "");
        lease("GET /v1/tasks/{taskId}", ALL, f -> get("/v1/tasks/" + f.get("task.main")), "tasks are not private");
        lease("GET /v1/tasks/{taskId}/ledger", ALL, f -> get("/v1/tasks/" + f.get("task.main") + "/ledger"),
                "ledgers are not private");
        lease("GET /v1/tasks/{taskId}/ledger/verify", ALL, f -> get("/v1/tasks/" + f.get("task.main") + "/ledger/verify"),
                "");
        lease("POST /v1/tasks/{taskId}/transitions", EnumSet.of(AGENT_SELF), f -> post("/v1/tasks/" + f.get("task.main")
                + "/transitions", "{\"to\":\"SPEC\",\"fencingToken\":" + f.get("lease.main.token") + ",\"evidence\":["
                + EVIDENCE + "]}"), "only the holder of the phase's lease moves the task");

        // ---- provenance-service
        provenance("GET /v1/whoami", ALL, f -> get("/v1/whoami"), "");
        provenance("GET /v1/log/checkpoint", ALL, f -> get("/v1/log/checkpoint"), "the log is public to callers");
        provenance("GET /v1/log/key", ALL, f -> get("/v1/log/key"), "");
        provenance("GET /v1/log/consistency", ALL, f -> get("/v1/log/consistency?from=1&to=" + f.get("log.size")), "");
        provenance("GET /v1/log/tiles/checkpoint", ALL, f -> get("/v1/log/tiles/checkpoint"), "C2SP tlog-tiles: hashes only");
        provenance("GET /v1/log/tiles/tile/{path}", ALL, f -> get("/v1/log/tiles/tile/0/000.p/1"),
                "hash tiles reveal only hashes");
        provenance("GET /v1/log/tiles/tile/entries/{path}", READERS, f -> get("/v1/log/tiles/tile/entries/000.p/1"),
                "entry bundles carry agents' metadata: never for agents");
        provenance("POST /v1/provenance", SELF_OR_PRIVILEGED, f -> post("/v1/provenance", "{\"agentId\":\"" + SELF
                + "\",\"creationType\":\"FRESH\",\"metadata\":{\"matrix\":true}}"), "records name their agent");
        provenance("GET /v1/provenance", SELF_OR_PRIVILEGED, f -> get("/v1/provenance?agentId=" + SELF), "");
        provenance("GET /v1/anchors/ledger/{taskId}", READERS, f -> get("/v1/anchors/ledger/" + f.get("task.main")),
                "anchors are the suite's record of every agent's ledger, not an agent's own");
        provenance("GET /v1/provenance/{id}", SELF_OR_PRIVILEGED, f -> get("/v1/provenance/" + f.get("record")), "");
        provenance("GET /v1/provenance/{id}/lineage", SELF_OR_PRIVILEGED,
                f -> get("/v1/provenance/" + f.get("record") + "/lineage"),
                "ancestors the caller may not read are placeholders (see the derived reads below)");
        provenance("GET /v1/provenance/{id}/proof", SELF_OR_PRIVILEGED,
                f -> get("/v1/provenance/" + f.get("record") + "/proof"), "");

        // ---- gate-service
        gate("GET /v1/whoami", ALL, f -> get("/v1/whoami"), "");
        gate("GET /v1/agents", ALL, f -> get("/v1/agents?limit=5"), "an agent's list holds itself alone");
        gate("PUT /v1/agents/{agentId}", READERS, f -> put("/v1/agents/conf-agent-target", "{\"trustScore\":500}"),
                "agents never register or score themselves");
        gate("GET /v1/agents/{agentId}", SELF_OR_PRIVILEGED, f -> get("/v1/agents/" + SELF), "");
        gate("GET /v1/agents/{agentId}/history", SELF_OR_PRIVILEGED, f -> get("/v1/agents/" + SELF + "/history"), "");
        gate("POST /v1/agents/{agentId}/outcomes", READERS, f -> post("/v1/agents/conf-agent-target/outcomes",
                "{\"claim\":\"tests pass\",\"confirmed\":true}"), "verified outcomes never come from the agent");
        gate("POST /v1/agents/{agentId}/suspend", READERS, f -> post("/v1/agents/conf-agent-target/suspend",
                "{\"reason\":\"matrix\"}"), "");
        gate("POST /v1/agents/{agentId}/reinstate", READERS, f -> post("/v1/agents/conf-agent-target/reinstate", null), "");
        gate("POST /v1/agents/{agentId}/containment", OPS, f -> post("/v1/agents/conf-agent-uncontained/containment",
                "{\"reason\":\"matrix\"}"), "an operator's action, never a service's or an agent's (the agent is not "
                + "registered: 404 past authorization)");
        gate("POST /v1/agents/{agentId}/containment/lift", OPS, f -> post("/v1/agents/conf-agent-uncontained/containment"
                + "/lift", "{\"reason\":\"matrix\"}"), "");
        gate("POST /v1/role-gates/evaluate", SELF_OR_PRIVILEGED, f -> post("/v1/role-gates/evaluate", "{\"agentId\":\""
                + SELF + "\",\"role\":\"OBSERVER\",\"context\":{\"resourceId\":\"r-1\",\"action\":\"read\"}}"), "");
        gate("POST /v1/ceiling/check", SELF_OR_PRIVILEGED, f -> post("/v1/ceiling/check", "{\"agentId\":\"" + SELF
                + "\",\"resourceType\":\"API_CALLS\",\"requestedAmount\":1,\"tier\":\"BASIC\"}"), "");
        gate("GET /v1/escalations", ALL, f -> get("/v1/escalations?status=OPEN"),
                "an agent lists its own escalations; validators and the privileged roles all");
        gate("GET /v1/escalations/{id}", SELF_OR_PRIVILEGED, f -> get("/v1/escalations/" + f.get("escalation")),
                "the escalated agent, validators, or anyone privileged");
        gate("POST /v1/escalations/{id}/votes", NOBODY, f -> post("/v1/escalations/" + f.get("escalation") + "/votes",
                "{\"approve\":true,\"reason\":\"matrix\"}"), "configured validators only (validator-1..4)");
        gate("POST /v1/escalations/{id}/decision", OPS, f -> post("/v1/escalations/" + f.get("escalation")
                + "/decision", "{\"decision\":\"DENY\",\"note\":\"matrix\"}"), "");
        gate("GET /v1/stats", READERS, f -> get("/v1/stats"), "decision-event figures of this replica");
        gate("POST /v1/tool-calls/decisions", SELF_OR_PRIVILEGED, f -> post("/v1/tool-calls/decisions", "{\"agentId\":\""
                + SELF + "\",\"tool\":\"read_file\",\"arguments\":{\"path\":\"/tmp/matrix\"}}"), "");
        gate("POST /v1/tool-calls/results", SELF_OR_PRIVILEGED, f -> post("/v1/tool-calls/results", "{\"agentId\":\""
                + SELF + "\",\"decisionId\":\"00000000-0000-7000-8000-000000000000\",\"result\":1,"
                + "\"status\":\"SUCCEEDED\"}"), "past authorization: 409, no prior ALLOW");
        gate("GET /v1/tool-calls/key", ALL, f -> get("/v1/tool-calls/key"), "the receipt key is public to callers");
        gate("GET /v1/tool-calls/decisions/{id}", ALL, f -> get("/v1/tool-calls/decisions/"
                + "00000000-0000-7000-8000-000000000000"), "another agent's decision answers 404 like an unknown one");
        gate("GET /v1/tool-calls/approvals/{escalationId}", ALL, f -> get("/v1/tool-calls/approvals/"
                + f.get("escalation")), "only the agent, validators and the privileged see it; others get 404 (no oracle)");
        gate("POST /v1/tool-calls/hooks/claude-code", AGENTS, f -> post("/v1/tool-calls/hooks/claude-code",
                "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Read\",\"tool_input\":{}}"),
                "an agent runtime's hook, acting as the token's agent");
        gate("POST /v1/tool-calls/hooks/generic", AGENTS, f -> post("/v1/tool-calls/hooks/generic",
                "{\"event\":\"pre\",\"tool\":\"read_file\",\"arguments\":{}}"),
                "an agent runtime's hook, acting as the token's agent");
        gate("GET /v1/flags", READERS, f -> get("/v1/flags"), "");
        gate("POST /v1/flags", ADMIN_ONLY, f -> post("/v1/flags", "{\"flag\":\"conf-flag-created\"}"), "");
        gate("GET /v1/flags/{flag}", SELF_OR_PRIVILEGED, f -> get("/v1/flags/conf-flag?agentId=" + SELF),
                "an agent asks about itself");
        gate("GET /v1/flags/{flag}/history", READERS, f -> get("/v1/flags/conf-flag/history"), "");
        gate("POST /v1/flags/{flag}/advance", ADMIN_ONLY, f -> post("/v1/flags/conf-flag/advance", null), "");
        gate("POST /v1/flags/{flag}/pause", ADMIN_ONLY, f -> post("/v1/flags/conf-flag/pause", null), "");
        gate("POST /v1/flags/{flag}/resume", ADMIN_ONLY, f -> post("/v1/flags/conf-flag/resume", null), "");
        gate("POST /v1/flags/{flag}/rollback", EnumSet.of(ADMIN, SERVICE), f -> post("/v1/flags/conf-flag/rollback",
                "{\"reason\":\"matrix\"}"), "the rollout guard calls it as a service");
        gate("GET /v1/policies", READERS, f -> get("/v1/policies"), "");
        gate("POST /v1/policies", ADMIN_ONLY, f -> post("/v1/policies", "{\"name\":\"matrix\",\"priority\":1,"
                + "\"effect\":\"ALLOW\",\"enabled\":false}"), "");
        gate("GET /v1/policies/{id}", READERS, f -> get("/v1/policies/" + f.get("policy")), "");
        gate("PUT /v1/policies/{id}", ADMIN_ONLY, f -> put("/v1/policies/" + f.get("policy"), "{\"name\":\"matrix\","
                + "\"priority\":2,\"effect\":\"ALLOW\",\"enabled\":false}"), "");
        gate("DELETE /v1/policies/{id}", ADMIN_ONLY, f -> delete("/v1/policies/" + f.get("policy")), "");

        // ---- telemetry-service
        telemetry("GET /v1/whoami", ALL, f -> get("/v1/whoami"), "");
        telemetry("GET /v1/alert-rules", READERS, f -> get("/v1/alert-rules"), "");
        telemetry("POST /v1/alert-rules", ADMIN_ONLY, f -> post("/v1/alert-rules", rule("conf-rule-created")), "");
        telemetry("GET /v1/alert-rules/{id}", READERS, f -> get("/v1/alert-rules/conf-rule"), "");
        telemetry("PUT /v1/alert-rules/{id}", ADMIN_ONLY, f -> put("/v1/alert-rules/conf-rule", rule("conf-rule")), "");
        telemetry("DELETE /v1/alert-rules/{id}", ADMIN_ONLY, f -> delete("/v1/alert-rules/conf-rule"), "");
        telemetry("GET /v1/alerts", SELF_OR_PRIVILEGED, f -> get("/v1/alerts?agentId=" + SELF), "");
        telemetry("GET /v1/alerts/{id}", ALL, f -> get("/v1/alerts/" + f.get("alert")),
                "another agent's alert is a 404, not a 403: its existence is not disclosed");
        telemetry("PATCH /v1/alerts/{id}", OPS, f -> patch("/v1/alerts/" + f.get("alert"),
                "{\"status\":\"INVESTIGATING\",\"reason\":\"matrix\"}"), "");
        telemetry("GET /v1/counters", SELF_OR_PRIVILEGED, f -> get("/v1/counters?agentId=" + SELF), "");
        telemetry("GET /v1/counters/{name}", SELF_OR_PRIVILEGED, f -> get("/v1/counters/conf_matrix?agentId=" + SELF), "");
        telemetry("POST /v1/events", EnumSet.of(AGENT_SELF, ADMIN, SERVICE), f -> post("/v1/events", "{\"agentId\":\""
                + SELF + "\",\"counters\":[{\"name\":\"conf_matrix\",\"value\":1}]}"),
                "agents post their own counters; services and admins any agent's; operators only read");
        telemetry("GET /v1/stats", READERS, f -> get("/v1/stats"), "");
        telemetry("GET /v1/dashboard/series", READERS, f -> get("/v1/dashboard/series?name=role_gate_allowed"), "");
        telemetry("POST /v1/rollouts/{flag}/samples", EnumSet.of(ADMIN, SERVICE), f -> post("/v1/rollouts/conf-flag/samples",
                "{\"arm\":\"CONTROL\",\"requests\":1,\"errors\":0,\"p95LatencyMs\":1.0}"),
                "rollout samples come from reporters with the service role, never from agents about themselves");
        telemetry("GET /v1/dashboard/rollouts", READERS, f -> get("/v1/dashboard/rollouts"), "");
        telemetry("GET /v1/dashboard/proxy/{service}/{path}", OPS, f -> get("/v1/dashboard/proxy/gate/v1/flags"),
                "the dashboard's pass-through: operators and admins, forwarding their own token");
        telemetry("POST /v1/dashboard/proxy/{service}/{path}", ADMIN_ONLY,
                f -> post("/v1/dashboard/proxy/gate/v1/flags/conf-no-flag/rollback", "{\"reason\":\"matrix\"}"),
                "operators pass the proxy, then gate-service refuses them the rollback (403)");

        telemetry("GET /v1/silences", READERS, f -> get("/v1/silences"), "");
        telemetry("POST /v1/silences", OPS, f -> post("/v1/silences", "{\"kind\":\"conf-rule\",\"comment\":\"matrix\","
                + "\"endsAt\":\"2999-01-01T00:00:00Z\"}"), "");
        telemetry("GET /v1/silences/{id}", READERS, f -> get("/v1/silences/" + f.get("silence")), "");
        telemetry("DELETE /v1/silences/{id}", OPS, f -> delete("/v1/silences/" + f.get("silence")), "");

        telemetry("GET /v1/health/suite", READERS, f -> get("/v1/health/suite"), "");
        telemetry("GET /v1/subscriptions", ADMIN_ONLY, f -> get("/v1/subscriptions"), "");
        telemetry("POST /v1/subscriptions", ADMIN_ONLY, f -> post("/v1/subscriptions", "{\"name\":\"matrix\","
                + "\"kind\":\"WEBHOOK\",\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef\"}"),
                "secrets are admin business");
        telemetry("GET /v1/subscriptions/{id}", ADMIN_ONLY, f -> get("/v1/subscriptions/" + f.get("subscription")), "");
        telemetry("GET /v1/subscriptions/{id}/deliveries", ADMIN_ONLY,
                f -> get("/v1/subscriptions/" + f.get("subscription") + "/deliveries"), "");
        telemetry("POST /v1/subscriptions/{id}/enable", ADMIN_ONLY,
                f -> post("/v1/subscriptions/" + f.get("subscription") + "/enable", null), "");
        telemetry("POST /v1/subscriptions/{id}/test", ADMIN_ONLY,
                f -> post("/v1/subscriptions/" + f.get("subscription") + "/test", null), "");
        telemetry("DELETE /v1/subscriptions/{id}", ADMIN_ONLY, f -> delete("/v1/subscriptions/" + f.get("subscription")), "");
    }

    private AccessTable() {
    }

    static Map<String, Route> byKey(String service) {
        Map<String, Route> out = new LinkedHashMap<>();
        ROUTES.stream().filter(r -> r.service().equals(service)).forEach(r -> out.put(r.key(), r));
        return out;
    }

    private static String rule(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"Matrix\",\"kind\":\"THRESHOLD\",\"counter\":\"conf_matrix\","
                + "\"windowSeconds\":300,\"threshold\":1000000,\"severity\":\"LOW\"}";
    }

    private static void lease(String key, Set<Identity> allowed, Function<Map<String, String>, Call> call, String note) {
        ROUTES.add(new Route("lease-service", key, allowed, call, note));
    }

    private static void provenance(String key, Set<Identity> allowed, Function<Map<String, String>, Call> call, String note) {
        ROUTES.add(new Route("provenance-service", key, allowed, call, note));
    }

    private static void gate(String key, Set<Identity> allowed, Function<Map<String, String>, Call> call, String note) {
        ROUTES.add(new Route("gate-service", key, allowed, call, note));
    }

    private static void telemetry(String key, Set<Identity> allowed, Function<Map<String, String>, Call> call, String note) {
        ROUTES.add(new Route("telemetry-service", key, allowed, call, note));
    }

    private static Call get(String target) {
        return new Call(target, null);
    }

    private static Call delete(String target) {
        return new Call(target, null);
    }

    private static Call post(String target, String body) {
        return new Call(target, body);
    }

    private static Call put(String target, String body) {
        return new Call(target, body);
    }

    private static Call patch(String target, String body) {
        return new Call(target, body);
    }
}

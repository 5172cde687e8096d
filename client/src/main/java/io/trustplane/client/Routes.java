package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.Accepted;
import io.trustplane.client.Model.Agent;
import io.trustplane.client.Model.AlertPage;
import io.trustplane.client.Model.CeilingCheck;
import io.trustplane.client.Model.ConsistencyProof;
import io.trustplane.client.Model.Decision;
import io.trustplane.client.Model.InclusionProof;
import io.trustplane.client.Model.Lease;
import io.trustplane.client.Model.LedgerVerification;
import io.trustplane.client.Model.Outcome;
import io.trustplane.client.Model.ProvenanceRecord;
import io.trustplane.client.Model.ReceiptKey;
import io.trustplane.client.Model.ToolCallDecision;
import io.trustplane.client.Model.ToolCallResult;
import io.trustplane.client.Model.Task;
import io.trustplane.client.Model.Transition;

import java.util.List;

import static io.trustplane.client.Service.GATE;
import static io.trustplane.client.Service.LEASE;
import static io.trustplane.client.Service.PROVENANCE;
import static io.trustplane.client.Service.TELEMETRY;

/** Every operation the client calls. */
public final class Routes {

    private Routes() {
    }

    static final Route LEASE_ACQUIRE = new Route(LEASE, "POST", "/v1/leases", List.of("taskId", "phase", "ttlSeconds"), Lease.class);
    static final Route LEASE_RENEW = new Route(LEASE, "POST", "/v1/leases/{leaseId}/renew", List.of("ttlSeconds"), Lease.class);
    static final Route LEASE_RELEASE = new Route(LEASE, "DELETE", "/v1/leases/{leaseId}", List.of(), Lease.class);
    static final Route LEASE_FORCE_RELEASE = new Route(LEASE, "POST", "/v1/leases/{leaseId}/force-release", List.of("reason"), Lease.class);
    static final Route LEASE_GET = new Route(LEASE, "GET", "/v1/leases/{leaseId}", List.of(), Lease.class);
    static final Route LEASE_QUERY = new Route(LEASE, "GET", "/v1/leases", List.of(), Lease.class);
    static final Route LEASE_EVENTS = new Route(LEASE, "GET", "/v1/leases/events", List.of(), JsonNode.class);
    static final Route FENCING_CHECK = new Route(LEASE, "POST", "/v1/fencing/check", List.of("taskId", "phase", "fencingToken"), JsonNode.class);
    static final Route TASK_CREATE = new Route(LEASE, "POST", "/v1/tasks", List.of("taskId", "title", "description"), Task.class);
    static final Route TASK_GET = new Route(LEASE, "GET", "/v1/tasks/{taskId}", List.of(), Task.class);
    static final Route TASK_TRANSITION = new Route(LEASE, "POST", "/v1/tasks/{taskId}/transitions", List.of("to", "evidence", "fencingToken"), Transition.class);
    static final Route TASK_LEDGER = new Route(LEASE, "GET", "/v1/tasks/{taskId}/ledger", List.of(), JsonNode.class);
    static final Route TASK_LEDGER_VERIFY = new Route(LEASE, "GET", "/v1/tasks/{taskId}/ledger/verify", List.of(), LedgerVerification.class);

    static final Route PROVENANCE_CREATE = new Route(PROVENANCE, "POST", "/v1/provenance", List.of("agentId", "creationType", "parentId", "contentHash", "metadata"), ProvenanceRecord.class);
    static final Route PROVENANCE_GET = new Route(PROVENANCE, "GET", "/v1/provenance/{id}", List.of(), ProvenanceRecord.class);
    static final Route PROVENANCE_PROOF = new Route(PROVENANCE, "GET", "/v1/provenance/{id}/proof", List.of(), InclusionProof.class);
    static final Route LOG_CHECKPOINT = new Route(PROVENANCE, "GET", "/v1/log/checkpoint", List.of(), String.class);
    static final Route LOG_KEY = new Route(PROVENANCE, "GET", "/v1/log/key", List.of(), String.class);
    static final Route LOG_CONSISTENCY = new Route(PROVENANCE, "GET", "/v1/log/consistency", List.of(), ConsistencyProof.class);

    static final Route AGENT_PUT = new Route(GATE, "PUT", "/v1/agents/{agentId}", List.of("trustScore", "frameworks", "attributes"), Agent.class);
    static final Route AGENT_GET = new Route(GATE, "GET", "/v1/agents/{agentId}", List.of(), Agent.class);
    static final Route AGENT_OUTCOME = new Route(GATE, "POST", "/v1/agents/{agentId}/outcomes", List.of("claim", "confirmed"), Outcome.class);
    static final Route EVALUATE = new Route(GATE, "POST", "/v1/role-gates/evaluate", List.of("agentId", "role", "tier", "context"), Decision.class);
    static final Route CEILING_CHECK = new Route(GATE, "POST", "/v1/ceiling/check", List.of("agentId", "resourceType", "requestedAmount", "tier"), CeilingCheck.class);
    static final Route ESCALATION_GET = new Route(GATE, "GET", "/v1/escalations/{id}", List.of(), JsonNode.class);
    static final Route ESCALATION_VOTE = new Route(GATE, "POST", "/v1/escalations/{id}/votes", List.of("approve", "reason"), JsonNode.class);

    static final Route ESCALATION_DECIDE = new Route(GATE, "POST", "/v1/escalations/{id}/decision", List.of("decision", "note"), JsonNode.class);
    static final Route TOOL_CALL_DECIDE = new Route(GATE, "POST", "/v1/tool-calls/decisions", List.of("agentId", "tool", "resource", "arguments", "argumentsDigest", "summary", "role", "resourceType", "amount", "callId", "approvalId"), ToolCallDecision.class);
    static final Route TOOL_CALL_RESULT = new Route(GATE, "POST", "/v1/tool-calls/results", List.of("agentId", "decisionId", "callId", "arguments", "argumentsDigest", "result", "resultDigest", "status"), ToolCallResult.class);
    static final Route TOOL_CALL_KEY = new Route(GATE, "GET", "/v1/tool-calls/key", List.of(), ReceiptKey.class);

    static final Route EVENTS_POST = new Route(TELEMETRY, "POST", "/v1/events", List.of("agentId", "counters"), Accepted.class);
    static final Route ALERTS_LIST = new Route(TELEMETRY, "GET", "/v1/alerts", List.of(), AlertPage.class);
    static final Route ALERT_GET = new Route(TELEMETRY, "GET", "/v1/alerts/{id}", List.of(), JsonNode.class);

    /** Every route above, for the OpenAPI check. */
    public static final List<Route> ALL = List.of(LEASE_ACQUIRE, LEASE_RENEW, LEASE_RELEASE, LEASE_FORCE_RELEASE,
            LEASE_GET, LEASE_QUERY, LEASE_EVENTS, FENCING_CHECK, TASK_CREATE, TASK_GET, TASK_TRANSITION, TASK_LEDGER,
            TASK_LEDGER_VERIFY, PROVENANCE_CREATE, PROVENANCE_GET, PROVENANCE_PROOF, LOG_CHECKPOINT, LOG_KEY,
            LOG_CONSISTENCY, AGENT_PUT, AGENT_GET, AGENT_OUTCOME, EVALUATE, CEILING_CHECK, ESCALATION_GET,
            ESCALATION_VOTE, ESCALATION_DECIDE, TOOL_CALL_DECIDE, TOOL_CALL_RESULT, TOOL_CALL_KEY, EVENTS_POST, ALERTS_LIST, ALERT_GET);
}

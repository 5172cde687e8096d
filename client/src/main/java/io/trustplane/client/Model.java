package io.trustplane.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The typed requests and answers of the services, as the client reads and writes them. */
public final class Model {

    private Model() {
    }

    /** A lease on a (task, phase) key: who holds it, its fencing token, and until when. */
    public record Lease(String leaseId, String taskId, String phase, String holder, long fencingToken,
            Instant acquiredAt, Instant expiresAt, long expiresInMs, int renewals, String status) {
    }

    /** A task and the phase it is in. */
    public record Task(String taskId, String title, String description, Phase phase, String createdBy, long version,
            Instant createdAt, Instant updatedAt) {
    }

    /** What a transition did: the phases, the lease handed to the new phase (and its fencing token), the ledger entry. */
    public record Transition(String taskId, String from, String to, String kind, Task task, Lease lease,
            long fencingToken, JsonNode ledgerEntry, JsonNode attestation) {
    }

    /**
     * A task's ledger export checked here: {@code firstBroken} is the sequence number of the first entry whose link,
     * position or content does not match the chain (null when the chain is whole), {@code reason} says why.
     */
    public record LocalLedgerCheck(boolean valid, Long firstBroken, String reason, int entries) {
    }

    /** The result of checking a task's hash-chained ledger. */
    public record LedgerVerification(boolean valid, Long brokenChainAt, List<Long> tamperedEntries, int entries) {
    }

    /** One piece of evidence for leaving a phase: its kind, where it lives, and the SHA-256 (hex) of its content. */
    public record Evidence(String kind, String uri, String sha256) {

        /** Evidence whose content is {@code content}, hashed here. */
        public static Evidence of(String kind, String uri, byte[] content) {
            return new Evidence(kind, uri, HexFormat.of().formatHex(digest().digest(content)));
        }

        /** Evidence for a file: its {@code file:} URI and the SHA-256 of its bytes, read as a stream. */
        public static Evidence ofFile(String kind, Path file) throws IOException {
            MessageDigest md = digest();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return new Evidence(kind, file.toAbsolutePath().toUri().toString(), HexFormat.of().formatHex(md.digest()));
        }

        private static MessageDigest digest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }

    /** How a provenance record came to be. */
    public enum CreationType {
        FRESH, CLONED, EVOLVED, PROMOTED, IMPORTED
    }

    /** {@code POST /v1/provenance}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewRecord(String agentId, CreationType creationType, UUID parentId, String contentHash,
            Map<String, Object> metadata) {
    }

    /**
     * A record of the provenance log with its leaf (base64 of the RFC 8785 bytes), leaf hash (base64) and the signed
     * checkpoint note of size {@code treeSize} that first included it.
     */
    public record ProvenanceRecord(UUID id, String agentId, CreationType creationType, UUID parentId,
            String contentHash, JsonNode metadata, Instant submittedAt, Instant createdAt, long leafIndex, String leaf,
            String leafHash, String parentHash, long treeSize, String checkpoint) {
    }

    /** An RFC 9162 inclusion proof (hashes base64, leaf to root) and the signed checkpoint note it leads to. */
    public record InclusionProof(UUID id, long leafIndex, long treeSize, String leafHash, String rootHash,
            List<String> hashes, String checkpoint) {
    }

    /**
     * A record whose inclusion proof was verified locally: the proof, and what was checked in words (the tree size,
     * the pinned key, consistency with the checkpoint trusted before).
     */
    public record VerifiedRecord(ProvenanceRecord record, InclusionProof proof, String summary) {
    }

    /** A checkpoint verified locally against the pinned key and the one trusted before it. */
    public record VerifiedCheckpoint(String checkpoint, String summary) {
    }

    /** An RFC 9162 consistency proof between two tree sizes (hashes base64). */
    public record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> hashes) {
    }

    /** {@code POST /v1/role-gates/evaluate}: may this agent act in this role on this resource? */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluation(String agentId, String role, String tier, Context context) {

        /** What the action is about. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Context(String resourceId, String action) {
        }
    }

    /** The gate's decision; {@code escalationId} is set for ESCALATE. */
    public record Decision(String decision, String layer, String reason, String ruleId, String evaluationId,
            String registeredTier, String escalationId) {
    }

    /** {@code POST /v1/ceiling/check}'s answer. */
    public record CeilingCheck(boolean allowed, String status, long used, long limit, long remaining,
            Instant resetAt, String tier, String reason) {
    }

    /** An agent as the gate knows it: score, tier, suspension. */
    public record Agent(String agentId, int trustScore, int effectiveScore, String tier, String tierAlias,
            List<String> frameworks, Map<String, Object> attributes, boolean suspended, String suspendedReason,
            long version, Instant updatedAt) {
    }

    /** What a reported outcome did to the agent's trust score. */
    public record Outcome(Agent agent, double truthShare, int scoreDelta, int outcomesScored) {
    }

    /** One counter line an agent reports about itself; {@code id} makes a retried line count once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Counter(String id, String name, long value, OffsetDateTime timestamp, Map<String, String> tags) {

        public static Counter of(String name, long value) {
            return new Counter(null, name, value, null, null);
        }
    }

    /** How many counter lines the telemetry service accepted for which agent. */
    public record Accepted(String agentId, int accepted) {
    }

    /** A page of alerts and the cursor of the next one. */
    public record AlertPage(List<JsonNode> items, String nextCursor) {
    }

    /**
     * A tool call an agent is about to make, for the tool-call guard: the tool, what it acts on and its arguments (the
     * guard digests them) or their digest and a summary; optional role, ceiling draw, the runtime's call id and an
     * approval to use.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCall(String agentId, String tool, String resource, Object arguments, String argumentsDigest,
            String summary, String role, String resourceType, Long amount, String callId, String approvalId) {

        public static ToolCall of(String agentId, String tool, Object arguments) {
            return new ToolCall(agentId, tool, null, arguments, null, null, null, null, null, null, null);
        }

        public ToolCall withApproval(String approvalId) {
            return new ToolCall(agentId, tool, resource, arguments, argumentsDigest, summary, role, resourceType, amount,
                    callId, approvalId);
        }
    }

    /** The guard's decision on a tool call, with the receipt gate-service signed (verify it with {@code Receipts}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDecision(String decisionId, String decision, String layer, String ruleId, String reason,
            String argumentsDigest, String escalationId, Instant expiresAt, Map<String, Object> receipt) {

        public boolean allowed() {
            return "ALLOW".equals(decision);
        }
    }

    /** What a tool call did, reported after it ran; the receipt links to the decision's by hash. */
    public record ToolCallResult(String decisionId, String status, String resultDigest, Map<String, Object> receipt) {
    }

    /** gate-service's receipt verification key. */
    public record ReceiptKey(String keyId, String algorithm, String publicKey, String publicKeyPem, String signedBytes) {
    }
}

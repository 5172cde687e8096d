package io.trustplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The event catalogue: one record per event type the suite's services exchange, the record's components being the
 * envelope's {@code data} fields (JSON names are the component names). {@link EventType} gives each record its wire
 * name, schema version, delivery class and consumers; {@link Visitor} makes handling exhaustive, so a record added
 * here fails to compile in every consumer until that consumer decides what it does with it.
 */
public sealed interface DomainEvent {

    /** The record's entry in the catalogue. */
    default EventType eventType() {
        return EventType.of(getClass());
    }

    <R> R accept(Visitor<R> visitor);

    /** One method per event type; consumers implement all of them (no default), so a missing case is a compile error. */
    interface Visitor<R> {
        R taskCreated(TaskCreated e);

        R ledgerAppended(LedgerAppended e);

        R leaseAcquired(LeaseAcquired e);

        R leaseRenewed(LeaseRenewed e);

        R leaseReleased(LeaseReleased e);

        R leaseExpired(LeaseExpired e);

        R leaseContended(LeaseContended e);

        R phaseTransitioned(PhaseTransitioned e);

        R phaseSkipAttempted(PhaseSkipAttempted e);

        R phaseStrategizeSkipped(PhaseStrategizeSkipped e);

        R phaseBacktracked(PhaseBacktracked e);

        R phaseValidationFailed(PhaseValidationFailed e);

        R evidenceGateFailed(EvidenceGateFailed e);

        R promptDriftDetected(PromptDriftDetected e);

        R roleGateAllowed(RoleGateAllowed e);

        R roleGateDenied(RoleGateDenied e);

        R roleGateEscalated(RoleGateEscalated e);

        R gamingSignal(GamingSignal e);

        R ceilingWarning(CeilingWarning e);

        R ceilingBreach(CeilingBreach e);

        R agentRegistered(AgentRegistered e);

        R agentSuspended(AgentSuspended e);

        R agentReinstated(AgentReinstated e);

        R agentScoreChanged(AgentScoreChanged e);

        R agentContained(AgentContained e);

        R agentContainmentLifted(AgentContainmentLifted e);

        R escalationAwaitingOperator(EscalationAwaitingOperator e);

        R escalationDecided(EscalationDecided e);

        R rolloutCreated(RolloutCreated e);

        R rolloutAdvanced(RolloutAdvanced e);

        R rolloutRolledBack(RolloutRolledBack e);

        R rolloutPaused(RolloutPaused e);

        R rolloutResumed(RolloutResumed e);

        R rolloutMetrics(RolloutMetrics e);

        R toolCallDecided(ToolCallDecided e);

        R toolCallCompleted(ToolCallCompleted e);

        R silenceCreated(SilenceCreated e);

        R silenceExpired(SilenceExpired e);

        R provenanceCreated(ProvenanceCreated e);

        R checkpointPublished(CheckpointPublished e);

        R alertCreated(AlertCreated e);

        R alertUpdated(AlertUpdated e);

        R alertResolved(AlertResolved e);
    }

    // ---- lease-service: tasks, ledger, leases, the work process ----

    /** A task was created in STRATEGIZE (its genesis ledger entry is anchored separately). */
    record TaskCreated(String taskId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.taskCreated(this);
        }
    }

    /** A ledger entry was appended to a task's hash chain; anchored in the provenance log. */
    record LedgerAppended(String taskId, long seq, String kind, String hash, String prevHash) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.ledgerAppended(this);
        }
    }

    /** A lease was granted (by acquire, or to the next phase by a transition). */
    record LeaseAcquired(String leaseId, String taskId, String phase, String holder, long fencingToken)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.leaseAcquired(this);
        }
    }

    /** A lease's holder renewed it. */
    record LeaseRenewed(String leaseId, String taskId, String phase, String holder, long fencingToken)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.leaseRenewed(this);
        }
    }

    /** A lease ended before its TTL: released by its holder, handed off by a transition, or force-released. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LeaseReleased(String leaseId, String taskId, String phase, String holder, long fencingToken, String reason,
            Boolean forced) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.leaseReleased(this);
        }
    }

    /** A lease lapsed at the end of its TTL. */
    record LeaseExpired(String leaseId, String taskId, String phase, String holder, long fencingToken)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.leaseExpired(this);
        }
    }

    /** An acquire or a transition found the lease held by another agent (seed 001 phase_lease_contention). */
    record LeaseContended(String taskId, String phase, String holder) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.leaseContended(this);
        }
    }

    /** A task moved to another phase (forward or back); the ledger entry is {@code ledgerSeq}. */
    record PhaseTransitioned(String taskId, String from, String to, String kind, long fencingToken, long ledgerSeq)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.phaseTransitioned(this);
        }
    }

    /** A transition tried to jump over a phase (seed 001 phase_skips_attempted); refused with 409. */
    record PhaseSkipAttempted(String taskId, String from, String to) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.phaseSkipAttempted(this);
        }
    }

    /** A task was created in a phase after STRATEGIZE ({@code from} is "NONE"); refused with 409. */
    record PhaseStrategizeSkipped(String taskId, String from, String to) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.phaseStrategizeSkipped(this);
        }
    }

    /** A task moved back to an earlier phase (allowed, counted). */
    record PhaseBacktracked(String taskId, String from, String to) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.phaseBacktracked(this);
        }
    }

    /** One refused transition (exactly one per refusal, whatever the reason): seed 001 phase_validations_failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PhaseValidationFailed(String taskId, String reason, String from, String to) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.phaseValidationFailed(this);
        }
    }

    /** A forward move lacked the evidence its phase's gate requires (seed 001 evidence_gate_failed). */
    record EvidenceGateFailed(String taskId, String from, String to, List<String> missing) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.evidenceGateFailed(this);
        }
    }

    /** A prompt attestation differed from its baseline (seed 001 prompt_drift_detected). */
    record PromptDriftDetected(String taskId, String phase, String severity, String specHash, String baselineHash,
            int baselineVersion) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.promptDriftDetected(this);
        }
    }

    // ---- gate-service: decisions, ceilings, agents, escalations, rollouts ----

    /** A role-gate evaluation allowed the request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RoleGateAllowed(String evaluationId, String role, String decision, String layer, String reason,
            String ruleId, long policyRevision, String claimedTier, String tier, String resourceId, String action,
            String signal, String escalationId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.roleGateAllowed(this);
        }
    }

    /** A role-gate evaluation denied the request; anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RoleGateDenied(String evaluationId, String role, String decision, String layer, String reason,
            String ruleId, long policyRevision, String claimedTier, String tier, String resourceId, String action,
            String signal, String escalationId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.roleGateDenied(this);
        }
    }

    /** A role-gate evaluation escalated the request to a quorum or an operator; anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RoleGateEscalated(String evaluationId, String role, String decision, String layer, String reason,
            String ruleId, long policyRevision, String claimedTier, String tier, String resourceId, String action,
            String signal, String escalationId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.roleGateEscalated(this);
        }
    }

    /** gate-service saw a gaming pattern (e.g. BOUNDARY_TESTING: a claimed tier above the registered one). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GamingSignal(String signal, String reason, String evaluationId, String claimedTier, String tier,
            String resourceType) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.gamingSignal(this);
        }
    }

    /** A ceiling check crossed the warning line (emitted once per crossing). */
    record CeilingWarning(String resourceType, long requestedAmount, long used, long limit, String tier)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.ceilingWarning(this);
        }
    }

    /** A ceiling check was refused: the amount would exceed the limit. */
    record CeilingBreach(String resourceType, long requestedAmount, long used, long limit, String tier)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.ceilingBreach(this);
        }
    }

    /** An agent was registered or re-registered. */
    record AgentRegistered(int trustScore, int effectiveScore, String tier, boolean suspended) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.agentRegistered(this);
        }
    }

    /** An agent was suspended. */
    record AgentSuspended(int trustScore, int effectiveScore, String tier, boolean suspended) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.agentSuspended(this);
        }
    }

    /** An agent was reinstated. */
    record AgentReinstated(int trustScore, int effectiveScore, String tier, boolean suspended) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.agentReinstated(this);
        }
    }

    /** A verified outcome moved an agent's trust score (truth scoring, seed 004). */
    record AgentScoreChanged(int trustScore, int effectiveScore, String tier, boolean suspended)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.agentScoreChanged(this);
        }
    }

    /**
     * An operator contained an agent: every gate decision for it is DENY from now on. The record of everything the
     * containment did (leases force-released, approvals revoked, flags it is pinned to control in) and of any step
     * that failed (retrying the containment completes it). Anchored; telemetry raises a HIGH CONTAINMENT alert.
     */
    record AgentContained(String reason, String actor, List<String> leasesReleased, List<String> approvalsRevoked,
            List<String> flagsPinned, List<String> failedSteps) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.agentContained(this);
        }
    }

    /** A containment was lifted: what was undone, and what could not be (each with why). Anchored. */
    record AgentContainmentLifted(String reason, String actor, List<String> undone, List<String> notUndone)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.agentContainmentLifted(this);
        }
    }

    /** An escalation's quorum timed out; an operator must decide. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EscalationAwaitingOperator(String escalationId, String evaluationId, String role, String status,
            int approvals, int rejections, String decision, String decidedBy) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.escalationAwaitingOperator(this);
        }
    }

    /** An escalation was decided by its quorum or an operator. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EscalationDecided(String escalationId, String evaluationId, String role, String status, int approvals,
            int rejections, String decision, String decidedBy) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.escalationDecided(this);
        }
    }

    /** A feature flag was created at its first stage. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RolloutCreated(String flag, int fromPercent, int toPercent, String status, int stageIndex, String actor,
            String reason) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.rolloutCreated(this);
        }
    }

    /** A rollout moved to its next stage. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RolloutAdvanced(String flag, int fromPercent, int toPercent, String status, int stageIndex, String actor,
            String reason) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.rolloutAdvanced(this);
        }
    }

    /** A rollout was rolled back to 0 % (by hand or by telemetry's guard). Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RolloutRolledBack(String flag, int fromPercent, int toPercent, String status, int stageIndex, String actor,
            String reason) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.rolloutRolledBack(this);
        }
    }

    /** A rollout was paused at its stage. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RolloutPaused(String flag, int fromPercent, int toPercent, String status, int stageIndex, String actor,
            String reason) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.rolloutPaused(this);
        }
    }

    /** A paused rollout was resumed. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RolloutResumed(String flag, int fromPercent, int toPercent, String status, int stageIndex, String actor,
            String reason) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.rolloutResumed(this);
        }
    }

    /** Request, error and latency figures of one arm ({@code cohort} or {@code control}) of a rollout. */
    record RolloutMetrics(String flag, String cohort, long requests, long errors, double p95LatencyMs)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.rolloutMetrics(this);
        }
    }

    /**
     * The tool-call guard's decision on one tool call, with the receipt gate-service signed for it (anchored, so the
     * receipt gets an inclusion proof).
     */
    record ToolCallDecided(String decisionId, String tool, String argumentsDigest, String decision, String layer,
            String receiptHash, java.util.Map<String, Object> receipt) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.toolCallDecided(this);
        }
    }

    /** What an allowed tool call did, with its result receipt, linked to the decision's by {@code decisionReceiptHash}. */
    record ToolCallCompleted(String decisionId, String tool, String status, String decisionReceiptHash,
            String receiptHash, java.util.Map<String, Object> receipt) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.toolCallCompleted(this);
        }
    }

    /** An operator silenced notifications of matching alerts (kind, agent, severity) from startsAt to endsAt. */
    record SilenceCreated(String silenceId, String kind, String agentId, String severity, String comment,
            String startsAt, String endsAt, String actor) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.silenceCreated(this);
        }
    }

    /** A silence was ended before its end (or at it) by an operator. */
    record SilenceExpired(String silenceId, String kind, String agentId, String severity, String comment,
            String startsAt, String endsAt, String actor) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.silenceExpired(this);
        }
    }

    // ---- provenance-service ----

    /** A record was integrated into the log at {@code leafIndex}. */
    record ProvenanceCreated(String id, long leafIndex, String creationType, String leafHash, long treeSize)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.provenanceCreated(this);
        }
    }

    /** A new signed checkpoint of the log was published. */
    record CheckpointPublished(String origin, long treeSize, String rootHash, String checkpoint)
            implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.checkpointPublished(this);
        }
    }

    // ---- telemetry-service ----

    /** An alert was opened. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AlertCreated(String alertId, String fingerprint, String source, String kind, String severity, String title,
            String from, String status, String actor, String reason, String agentId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.alertCreated(this);
        }
    }

    /** An alert moved to INVESTIGATING. Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AlertUpdated(String alertId, String fingerprint, String source, String kind, String severity, String title,
            String from, String status, String actor, String reason, String agentId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.alertUpdated(this);
        }
    }

    /** An alert was closed (RESOLVED or FALSE_POSITIVE). Anchored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AlertResolved(String alertId, String fingerprint, String source, String kind, String severity, String title,
            String from, String status, String actor, String reason, String agentId) implements DomainEvent {
        public <R> R accept(Visitor<R> v) {
            return v.alertResolved(this);
        }
    }
}

package io.trustplane.common.events;

/** A visitor answering the event it was handed: proves each record dispatches to its own method. */
final class RecordingVisitor implements DomainEvent.Visitor<Object> {

    static final RecordingVisitor INSTANCE = new RecordingVisitor();

    @Override
    public Object taskCreated(DomainEvent.TaskCreated e) {
        return e;
    }

    @Override
    public Object ledgerAppended(DomainEvent.LedgerAppended e) {
        return e;
    }

    @Override
    public Object leaseAcquired(DomainEvent.LeaseAcquired e) {
        return e;
    }

    @Override
    public Object leaseRenewed(DomainEvent.LeaseRenewed e) {
        return e;
    }

    @Override
    public Object leaseReleased(DomainEvent.LeaseReleased e) {
        return e;
    }

    @Override
    public Object leaseExpired(DomainEvent.LeaseExpired e) {
        return e;
    }

    @Override
    public Object leaseContended(DomainEvent.LeaseContended e) {
        return e;
    }

    @Override
    public Object phaseTransitioned(DomainEvent.PhaseTransitioned e) {
        return e;
    }

    @Override
    public Object phaseSkipAttempted(DomainEvent.PhaseSkipAttempted e) {
        return e;
    }

    @Override
    public Object phaseStrategizeSkipped(DomainEvent.PhaseStrategizeSkipped e) {
        return e;
    }

    @Override
    public Object phaseBacktracked(DomainEvent.PhaseBacktracked e) {
        return e;
    }

    @Override
    public Object phaseValidationFailed(DomainEvent.PhaseValidationFailed e) {
        return e;
    }

    @Override
    public Object evidenceGateFailed(DomainEvent.EvidenceGateFailed e) {
        return e;
    }

    @Override
    public Object promptDriftDetected(DomainEvent.PromptDriftDetected e) {
        return e;
    }

    @Override
    public Object roleGateAllowed(DomainEvent.RoleGateAllowed e) {
        return e;
    }

    @Override
    public Object roleGateDenied(DomainEvent.RoleGateDenied e) {
        return e;
    }

    @Override
    public Object roleGateEscalated(DomainEvent.RoleGateEscalated e) {
        return e;
    }

    @Override
    public Object gamingSignal(DomainEvent.GamingSignal e) {
        return e;
    }

    @Override
    public Object ceilingWarning(DomainEvent.CeilingWarning e) {
        return e;
    }

    @Override
    public Object ceilingBreach(DomainEvent.CeilingBreach e) {
        return e;
    }

    @Override
    public Object agentRegistered(DomainEvent.AgentRegistered e) {
        return e;
    }

    @Override
    public Object agentSuspended(DomainEvent.AgentSuspended e) {
        return e;
    }

    @Override
    public Object agentReinstated(DomainEvent.AgentReinstated e) {
        return e;
    }

    @Override
    public Object agentScoreChanged(DomainEvent.AgentScoreChanged e) {
        return e;
    }

    @Override
    public Object agentContained(DomainEvent.AgentContained e) {
        return e;
    }

    @Override
    public Object agentContainmentLifted(DomainEvent.AgentContainmentLifted e) {
        return e;
    }

    @Override
    public Object escalationAwaitingOperator(DomainEvent.EscalationAwaitingOperator e) {
        return e;
    }

    @Override
    public Object escalationDecided(DomainEvent.EscalationDecided e) {
        return e;
    }

    @Override
    public Object rolloutCreated(DomainEvent.RolloutCreated e) {
        return e;
    }

    @Override
    public Object rolloutAdvanced(DomainEvent.RolloutAdvanced e) {
        return e;
    }

    @Override
    public Object rolloutRolledBack(DomainEvent.RolloutRolledBack e) {
        return e;
    }

    @Override
    public Object rolloutPaused(DomainEvent.RolloutPaused e) {
        return e;
    }

    @Override
    public Object rolloutResumed(DomainEvent.RolloutResumed e) {
        return e;
    }

    @Override
    public Object rolloutMetrics(DomainEvent.RolloutMetrics e) {
        return e;
    }

    @Override
    public Object silenceCreated(DomainEvent.SilenceCreated e) {
        return e;
    }

    @Override
    public Object silenceExpired(DomainEvent.SilenceExpired e) {
        return e;
    }

    @Override
    public Object toolCallDecided(DomainEvent.ToolCallDecided e) {
        return e;
    }

    @Override
    public Object toolCallCompleted(DomainEvent.ToolCallCompleted e) {
        return e;
    }

    @Override
    public Object provenanceCreated(DomainEvent.ProvenanceCreated e) {
        return e;
    }

    @Override
    public Object checkpointPublished(DomainEvent.CheckpointPublished e) {
        return e;
    }

    @Override
    public Object alertCreated(DomainEvent.AlertCreated e) {
        return e;
    }

    @Override
    public Object alertUpdated(DomainEvent.AlertUpdated e) {
        return e;
    }

    @Override
    public Object alertResolved(DomainEvent.AlertResolved e) {
        return e;
    }
}

package io.trustplane.common.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Registers the catalogue's records for Jackson in a native image (they are read and written by reflection). */
@RegisterForReflection(targets = {EventCodec.Outgoing.class, EventEnvelope.class,
        DomainEvent.TaskCreated.class,
        DomainEvent.LedgerAppended.class,
        DomainEvent.LeaseAcquired.class,
        DomainEvent.LeaseRenewed.class,
        DomainEvent.LeaseReleased.class,
        DomainEvent.LeaseExpired.class,
        DomainEvent.LeaseContended.class,
        DomainEvent.PhaseTransitioned.class,
        DomainEvent.PhaseSkipAttempted.class,
        DomainEvent.PhaseStrategizeSkipped.class,
        DomainEvent.PhaseBacktracked.class,
        DomainEvent.PhaseValidationFailed.class,
        DomainEvent.EvidenceGateFailed.class,
        DomainEvent.PromptDriftDetected.class,
        DomainEvent.RoleGateAllowed.class,
        DomainEvent.RoleGateDenied.class,
        DomainEvent.RoleGateEscalated.class,
        DomainEvent.GamingSignal.class,
        DomainEvent.CeilingWarning.class,
        DomainEvent.CeilingBreach.class,
        DomainEvent.AgentRegistered.class,
        DomainEvent.AgentSuspended.class,
        DomainEvent.AgentReinstated.class,
        DomainEvent.AgentScoreChanged.class,
        DomainEvent.AgentContained.class,
        DomainEvent.AgentContainmentLifted.class,
        DomainEvent.EscalationAwaitingOperator.class,
        DomainEvent.EscalationDecided.class,
        DomainEvent.RolloutCreated.class,
        DomainEvent.RolloutAdvanced.class,
        DomainEvent.RolloutRolledBack.class,
        DomainEvent.RolloutPaused.class,
        DomainEvent.RolloutResumed.class,
        DomainEvent.RolloutMetrics.class,
        DomainEvent.ProvenanceCreated.class,
        DomainEvent.CheckpointPublished.class,
        DomainEvent.AlertCreated.class,
        DomainEvent.AlertUpdated.class,
        DomainEvent.AlertResolved.class})
final class EventReflection {

    private EventReflection() {
    }
}

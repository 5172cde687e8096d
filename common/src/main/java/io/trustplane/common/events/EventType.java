package io.trustplane.common.events;

import io.trustplane.common.events.DomainEvent.*;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue's table: for each {@link DomainEvent} record its wire name (the envelope's {@code type}), schema
 * version, delivery class, streams, producer and consumers. {@code docs/events.md} is generated from this table
 * (EventCatalogueDocTest keeps it in step). A change within a version is additive only (a new optional field);
 * consumers ignore fields they do not know. Anything else is a new version and a new record.
 */
public enum EventType {

    TASK_CREATED("task.created", TaskCreated.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter tasks_created"),
    LEDGER_APPENDED("ledger.appended", LedgerAppended.class, Delivery.OUTBOX, true, Producer.LEASE,
            "provenance-service: appended to the log as an anchor (tp:anchor only)"),
    LEASE_ACQUIRED("lease.acquired", LeaseAcquired.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter leases_acquired, live-lease inventory"),
    LEASE_RENEWED("lease.renewed", LeaseRenewed.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter leases_renewed"),
    LEASE_RELEASED("lease.released", LeaseReleased.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter leases_released, live-lease inventory"),
    LEASE_EXPIRED("lease.expired", LeaseExpired.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter leases_expired, live-lease inventory"),
    LEASE_CONTENDED("lease.contended", LeaseContended.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter phase_lease_contention (seed 001 rule)"),
    PHASE_TRANSITIONED("phase.transitioned", PhaseTransitioned.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counters phase_transitions, phase_transition_attempts"),
    PHASE_SKIP_ATTEMPTED("phase.skip_attempted", PhaseSkipAttempted.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter phase_skips_attempted (seed 001 rule)"),
    PHASE_STRATEGIZE_SKIPPED("phase.strategize_skipped", PhaseStrategizeSkipped.class, Delivery.OUTBOX, false,
            Producer.LEASE, "telemetry-service: counters phase_skips_attempted, strategize_skipped"),
    PHASE_BACKTRACKED("phase.backtracked", PhaseBacktracked.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter phase_backtracks"),
    PHASE_VALIDATION_FAILED("phase.validation_failed", PhaseValidationFailed.class, Delivery.OUTBOX, false,
            Producer.LEASE, "telemetry-service: counters phase_validations_failed, phase_transition_attempts"),
    EVIDENCE_GATE_FAILED("evidence_gate.failed", EvidenceGateFailed.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counter evidence_gate_failed (its refusal is counted once, by phase.validation_failed)"),
    PROMPT_DRIFT_DETECTED("prompt.drift_detected", PromptDriftDetected.class, Delivery.OUTBOX, false, Producer.LEASE,
            "telemetry-service: counters prompt_drift_detected, prompt_drift_detected.<severity>"),

    ROLE_GATE_ALLOWED("role_gate.allowed", RoleGateAllowed.class, Delivery.BUFFERED, false, Producer.GATE,
            "telemetry-service: per-agent counter role_gate_allowed"),
    ROLE_GATE_DENIED("role_gate.denied", RoleGateDenied.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: per-agent counters role_gate_denied, boundary_probes; provenance-service: anchor"),
    ROLE_GATE_ESCALATED("role_gate.escalated", RoleGateEscalated.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: per-agent counter role_gate_escalated; provenance-service: anchor"),
    GAMING_SIGNAL("gaming.signal", GamingSignal.class, Delivery.OUTBOX, false, Producer.GATE,
            "telemetry-service: a gaming alert of the signal's type"),
    CEILING_WARNING("ceiling.warning", CeilingWarning.class, Delivery.BUFFERED, false, Producer.GATE,
            "telemetry-service: per-agent counters ceiling_warning, boundary_probes"),
    CEILING_BREACH("ceiling.breach", CeilingBreach.class, Delivery.OUTBOX, false, Producer.GATE,
            "telemetry-service: per-agent counter ceiling_breach"),
    AGENT_REGISTERED("agent.registered", AgentRegistered.class, Delivery.OUTBOX, false, Producer.GATE,
            "telemetry-service: score history and agent inventory"),
    AGENT_SUSPENDED("agent.suspended", AgentSuspended.class, Delivery.OUTBOX, false, Producer.GATE,
            "telemetry-service: score history and agent inventory"),
    AGENT_REINSTATED("agent.reinstated", AgentReinstated.class, Delivery.OUTBOX, false, Producer.GATE,
            "telemetry-service: score history and agent inventory"),
    AGENT_SCORE_CHANGED("agent.score_changed", AgentScoreChanged.class, Delivery.OUTBOX, false, Producer.GATE,
            "telemetry-service: score history (RAPID_CHANGE, OSCILLATION detectors) and agent inventory"),
    AGENT_CONTAINED("agent.contained", AgentContained.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: a HIGH CONTAINMENT alert, per-agent counter agents_contained; provenance-service: anchor "
            + "(the record of what was done)"),
    AGENT_CONTAINMENT_LIFTED("agent.containment_lifted", AgentContainmentLifted.class, Delivery.OUTBOX, true,
            Producer.GATE, "telemetry-service: per-agent counter agent_containments_lifted; provenance-service: anchor "
            + "(what was undone and what could not be)"),
    ESCALATION_AWAITING_OPERATOR("escalation.awaiting_operator", EscalationAwaitingOperator.class, Delivery.OUTBOX,
            true, Producer.GATE, "telemetry-service: counter escalations_awaiting_operator; provenance-service: anchor"),
    ESCALATION_DECIDED("escalation.decided", EscalationDecided.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: counter escalations_decided; provenance-service: anchor"),
    ROLLOUT_CREATED("rollout.created", RolloutCreated.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: rollout inventory (the guard watches the first stage); provenance-service: anchor"),
    ROLLOUT_ADVANCED("rollout.advanced", RolloutAdvanced.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: rollout inventory; provenance-service: anchor"),
    ROLLOUT_ROLLED_BACK("rollout.rolled_back", RolloutRolledBack.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: rollout inventory (no longer watched); provenance-service: anchor"),
    ROLLOUT_PAUSED("rollout.paused", RolloutPaused.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: rollout inventory (not watched while paused); provenance-service: anchor"),
    ROLLOUT_RESUMED("rollout.resumed", RolloutResumed.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: rollout inventory (watched again); provenance-service: anchor"),
    TOOL_CALL_DECIDED("tool_call.decided", ToolCallDecided.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: per-agent counter tool_calls_decided; provenance-service: anchor (the signed receipt)"),
    TOOL_CALL_COMPLETED("tool_call.completed", ToolCallCompleted.class, Delivery.OUTBOX, true, Producer.GATE,
            "telemetry-service: per-agent counter tool_calls_completed; provenance-service: anchor (the result receipt)"),
    ROLLOUT_METRICS("rollout.metrics", RolloutMetrics.class, Delivery.BUFFERED, false, Producer.NONE,
            "telemetry-service: rollout guard samples"),

    PROVENANCE_CREATED("provenance.created", ProvenanceCreated.class, Delivery.BUFFERED, false, Producer.PROVENANCE,
            "telemetry-service: counter events.provenance.created only"),
    CHECKPOINT_PUBLISHED("checkpoint.published", CheckpointPublished.class, Delivery.BUFFERED, false,
            Producer.PROVENANCE, "telemetry-service: log size on the dashboard and /v1/stats"),

    ALERT_CREATED("alert.created", AlertCreated.class, Delivery.OUTBOX, true, Producer.TELEMETRY,
            "provenance-service: anchor; webhook subscribers"),
    ALERT_UPDATED("alert.updated", AlertUpdated.class, Delivery.OUTBOX, true, Producer.TELEMETRY,
            "provenance-service: anchor; webhook subscribers"),
    ALERT_RESOLVED("alert.resolved", AlertResolved.class, Delivery.OUTBOX, true, Producer.TELEMETRY,
            "provenance-service: anchor; webhook subscribers"),
    SILENCE_CREATED("silence.created", SilenceCreated.class, Delivery.OUTBOX, true, Producer.TELEMETRY,
            "provenance-service: anchor (the audit of who silenced what, and why)"),
    SILENCE_EXPIRED("silence.expired", SilenceExpired.class, Delivery.OUTBOX, true, Producer.TELEMETRY,
            "provenance-service: anchor (the audit of who ended a silence)");

    /** How an event leaves its producer. */
    public enum Delivery {
        /** Written in the producer's PostgreSQL transaction and relayed: a Redis outage delays it, never loses it. */
        OUTBOX,
        /** A bounded in-memory buffer that drains when Redis returns; what overflows is dropped and counted. */
        BUFFERED
    }

    /** The service that publishes the event. */
    public enum Producer {
        LEASE("lease-service"), GATE("gate-service"), PROVENANCE("provenance-service"),
        TELEMETRY("telemetry-service"),
        /** Declared for a consumer; no service of the suite publishes it yet (reporters with the service role). */
        NONE("(none yet)");

        private final String service;

        Producer(String service) {
            this.service = service;
        }

        public String service() {
            return service;
        }
    }

    /** Schema version of every type today; a breaking change is a new record with the next version. */
    public static final int VERSION_1 = 1;

    private static final Map<Class<?>, EventType> BY_CLASS = new HashMap<>();
    private static final Map<String, EventType> BY_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_CLASS.put(t.record, t);
            BY_NAME.put(t.wireName, t);
        }
    }

    private final String wireName;
    private final Class<? extends DomainEvent> record;
    private final Delivery delivery;
    private final boolean anchored;
    private final Producer producer;
    private final String consumers;

    EventType(String wireName, Class<? extends DomainEvent> record, Delivery delivery, boolean anchored,
            Producer producer, String consumers) {
        this.wireName = wireName;
        this.record = record;
        this.delivery = delivery;
        this.anchored = anchored;
        this.producer = producer;
        this.consumers = consumers;
    }

    /** The envelope's {@code type}. */
    public String wireName() {
        return wireName;
    }

    public int version() {
        return VERSION_1;
    }

    public Class<? extends DomainEvent> recordClass() {
        return record;
    }

    public Delivery delivery() {
        return delivery;
    }

    /** Whether the event also goes to {@code tp:anchor} to be appended to the provenance log. */
    public boolean anchored() {
        return anchored;
    }

    /** The streams the event is appended to, in order. */
    public List<String> streams() {
        if (this == LEDGER_APPENDED) {
            return List.of(Streams.ANCHOR);
        }
        return anchored ? List.of(Streams.EVENTS, Streams.ANCHOR) : List.of(Streams.EVENTS);
    }

    public Producer producer() {
        return producer;
    }

    /** Who reads it and what for (documentation, checked non-empty by a test). */
    public String consumers() {
        return consumers;
    }

    public static EventType of(Class<?> recordClass) {
        EventType t = BY_CLASS.get(recordClass);
        if (t == null) {
            throw new IllegalArgumentException(recordClass + " is not in the event catalogue");
        }
        return t;
    }

    /** The catalogue entry of a wire name; empty for a type this build does not know (a newer producer). */
    public static Optional<EventType> byName(String wireName) {
        return Optional.ofNullable(wireName == null ? null : BY_NAME.get(wireName));
    }

    public static Set<EventType> produced() {
        EnumSet<EventType> out = EnumSet.noneOf(EventType.class);
        for (EventType t : values()) {
            if (t.producer != Producer.NONE) {
                out.add(t);
            }
        }
        return out;
    }
}

package io.trustplane.gate.repository.entity;

import io.trustplane.gate.domain.EscalationStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code escalations} (V1__gate.sql), read by the escalation routes (one escalation, the keyset-paged
 * list). Read-only: it has no version column, and its changes are made under its row lock by SQL statements.
 */
@Entity
@Table(name = "escalations")
public class EscalationEntity {

    @Id
    public UUID id;

    @Column(name = "evaluation_id")
    public UUID evaluationId;

    @Column(name = "agent_id")
    public String agentId;

    public String role;

    public String tier;

    @Column(name = "resource_id")
    public String resourceId;

    public String action;

    public String reason;

    @Enumerated(EnumType.STRING)
    public EscalationStatus status;

    public int n;

    public int f;

    public Instant deadline;

    public String decision;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decision_note")
    public String decisionNote;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "decided_at")
    public Instant decidedAt;
}

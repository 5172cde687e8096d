package io.trustplane.gate.repository.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code escalation_votes}: one validator's vote, keyed by escalation and validator. */
@Entity
@Table(name = "escalation_votes")
public class EscalationVoteEntity {

    /** The primary key (escalation_id, validator_id): a validator votes once per escalation. */
    @Embeddable
    public record Key(@Column(name = "escalation_id") UUID escalationId,
            @Column(name = "validator_id") String validatorId) {
    }

    @EmbeddedId
    public Key key;

    public boolean approve;

    public String reason;

    @Column(name = "voted_at")
    public Instant votedAt;
}

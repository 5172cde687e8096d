package io.trustplane.gate.repository.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of {@code flag_history}: one stage change of a flag, as the history route answers it. */
@Entity
@Table(name = "flag_history")
public class FlagHistoryEntity {

    @Id
    public Long id;

    public String flag;

    public String action;

    @Column(name = "from_percent")
    public int fromPercent;

    @Column(name = "to_percent")
    public int toPercent;

    public String reason;

    public String actor;

    @Column(name = "changed_at")
    public Instant changedAt;
}

package io.trustplane.gate.repository.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A row of {@code agent_score_history}: one trust-score change, as the agent history route answers it. Only read:
 * the rows are written by the SQL that changes the score under the agent's row lock (see AgentRepository).
 */
@Entity
@Table(name = "agent_score_history")
public class ScoreHistoryEntity {

    @Id
    public Long id;

    @Column(name = "agent_id")
    public String agentId;

    // null for the first score an agent is registered with
    @Column(name = "old_score")
    public Integer oldScore;

    @Column(name = "new_score")
    public int newScore;

    @Column(name = "effective_score")
    public int effectiveScore;

    public String tier;

    public String cause;

    public String actor;

    @Column(name = "changed_at")
    public Instant changedAt;
}

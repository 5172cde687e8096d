package io.trustplane.gate.repository.entity;

import io.trustplane.gate.domain.FlagStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;


/**
 * A row of {@code flags} (V1__gate.sql), read by the flag routes: {@code stages} is an integer[], {@code triggers}
 * the jsonb array of rollback triggers, read as its JSON text for the repository to parse into domain triggers.
 * Only read (a stateless session; @Immutable would break its loads in Hibernate Reactive 3.2): every flag change
 * is SQL under the flag's row lock (see FlagRepository).
 */
@Entity
@Table(name = "flags")
public class FlagEntity extends VersionedEntity {

    @Id
    public String flag;

    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public Integer[] stages;

    @Column(name = "stage_index")
    public int stageIndex;

    @Enumerated(EnumType.STRING)
    public FlagStatus status;

    // read as text: Hibernate Reactive reads a jsonb value as a JSON object, and this column holds an array
    @Formula("cast(triggers as text)")
    public String triggers;
}

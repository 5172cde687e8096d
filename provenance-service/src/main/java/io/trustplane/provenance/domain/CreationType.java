package io.trustplane.provenance.domain;

/** How an agent (or an imported artefact) came to exist; IMPORTED also marks records anchored from tp:anchor. */
public enum CreationType {
    FRESH, CLONED, EVOLVED, PROMOTED, IMPORTED
}

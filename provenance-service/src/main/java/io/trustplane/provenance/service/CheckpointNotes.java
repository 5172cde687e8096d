package io.trustplane.provenance.service;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.repository.LogRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The signed notes of published checkpoints by tree size, remembered once read. A checkpoint never changes once
 * published (its note is the log key's signature over that size and root), so a remembered note is never stale; a
 * size that has no checkpoint is not remembered (one may be published at that size later). A page of records asks
 * for one note, nearly always of a recent size: the page query then reads records only.
 */
@ApplicationScoped
public class CheckpointNotes {

    private final LogRepository repository;
    private final Cache notes;

    public CheckpointNotes(LogRepository repository, @CacheName("checkpoint-notes") Cache notes) {
        this.repository = repository;
        this.notes = notes;
    }

    /** The note of the checkpoint published at exactly {@code size}, if any. */
    public Uni<Optional<String>> at(long size) {
        return notes.<Long, String>getAsync(size, s -> repository.checkpoint(s).map(Optional::orElseThrow))
                .map(Optional::of)
                .onFailure(NoSuchElementException.class).recoverWithItem(Optional.empty());
    }
}

package io.trustplane.telemetry.service;

import io.trustplane.telemetry.domain.alert.Severity;
import io.trustplane.telemetry.domain.alert.Silence;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.telemetry.config.TelemetryConfig;
import io.trustplane.telemetry.repository.SilenceRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates and ends silences. Each change is stored with its audit entry and its event ({@code silence.created} or
 * {@code silence.expired}, anchored in the provenance log) in one transaction, through the outbox.
 */
@ApplicationScoped
public class SilenceService {

    private static final Logger LOG = Logger.getLogger(SilenceService.class);

    private final Pool pool;
    private final SilenceRepository silences;
    private final Outbox outbox;
    private final int listLimit;

    public SilenceService(Pool pool, SilenceRepository silences, Outbox outbox, TelemetryConfig config) {
        this.listLimit = config.silences().listLimit();
        this.pool = pool;
        this.silences = silences;
        this.outbox = outbox;
    }

    /** A silence and its audited changes, oldest first. */
    public record Detail(Silence silence, List<Silence.HistoryEntry> history) {
    }

    /** Silences in force now or later (and, with {@code includeExpired}, the ended ones), newest first, at most {@code silences.list-limit}. */
    public Uni<List<Silence>> list(boolean includeExpired) {
        return silences.list(includeExpired, listLimit);
    }

    /** One silence with its history; 404 when unknown. */
    public Uni<Detail> detail(UUID id) {
        return silences.find(id).flatMap(found -> {
            Silence s = found.orElseThrow(() -> ProblemException.notFound("silence", id.toString()));
            return silences.historyOf(id).map(h -> new Detail(s, h));
        });
    }

    public Uni<Silence> create(String kind, String agentId, Severity severity, String comment, Instant startsAt,
            Instant endsAt, String actor) {
        List<FieldViolation> errors = new ArrayList<>();
        if (kind == null && agentId == null && severity == null) {
            errors.add(new FieldViolation("kind", "at least one matcher (kind, agentId, severity) is required"));
        }
        if (!endsAt.isAfter(startsAt == null ? Instant.now() : startsAt)) {
            errors.add(new FieldViolation("endsAt", "must be after startsAt (or after now)"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(422, "invalid_silence", "the silence cannot be created", errors, Map.of());
        }
        UUID id = UUID.randomUUID();
        return pool.withTransaction(conn -> silences.insert(conn, id, kind, agentId, severity, actor, comment, startsAt,
                        endsAt)
                .call(s -> silences.history(conn, s.id(), "CREATED", actor, s))
                .call(s -> outbox.write(conn, Outbox.event(s.agentId(), created(s, actor)))))
                .invoke(s -> announce("silence.created", s, actor));
    }

    /** Ends a silence now; 404 when unknown, 409 when it has already ended. */
    public Uni<Silence> expire(UUID id, String actor) {
        return pool.withTransaction(conn -> silences.expire(conn, id)
                        .call(s -> s == null ? Uni.createFrom().voidItem() : silences.history(conn, s.id(), "EXPIRED", actor, s)
                                .call(() -> outbox.write(conn, Outbox.event(s.agentId(), expired(s, actor))))))
                .flatMap(s -> {
                    if (s != null) {
                        announce("silence.expired", s, actor);
                        return Uni.createFrom().item(s);
                    }
                    return silences.find(id).map(found -> {
                        if (found.isEmpty()) {
                            throw ProblemException.notFound("silence", id.toString());
                        }
                        throw ProblemException.conflict("silence_expired", "the silence has already ended");
                    });
                });
    }

    private void announce(String type, Silence s, String actor) {
        outbox.committed();
        LOG.infof("%s %s by %s (kind %s, agentId %s, severity %s)", type, s.id(), actor, s.kind(), s.agentId(),
                s.severity());
    }

    private static DomainEvent.SilenceCreated created(Silence s, String actor) {
        return new DomainEvent.SilenceCreated(s.id(), s.kind(), s.agentId(), name(s.severity()), s.comment(),
                s.startsAt().toString(), s.endsAt().toString(), actor);
    }

    private static DomainEvent.SilenceExpired expired(Silence s, String actor) {
        return new DomainEvent.SilenceExpired(s.id(), s.kind(), s.agentId(), name(s.severity()), s.comment(),
                s.startsAt().toString(), s.endsAt().toString(), actor);
    }

    private static String name(Severity severity) {
        return severity == null ? null : severity.name();
    }
}

package io.trustplane.telemetry.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.Streams;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.ProblemException;
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
 * Creates and ends silences. Each change is stored with its audit entry in one transaction, then announced on
 * {@code tp:events} and anchored on {@code tp:anchor} as {@code silence.created} or {@code silence.expired}.
 */
@ApplicationScoped
public class SilenceService {

    private static final Logger LOG = Logger.getLogger(SilenceService.class);

    private final Pool pool;
    private final SilenceRepository silences;
    private final EventPublisher publisher;

    public SilenceService(Pool pool, SilenceRepository silences, EventPublisher publisher) {
        this.pool = pool;
        this.silences = silences;
        this.publisher = publisher;
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
                .call(s -> silences.history(conn, s.id(), "CREATED", actor, s)))
                .invoke(s -> announce("silence.created", s, actor));
    }

    /** Ends a silence now; 404 when unknown, 409 when it has already ended. */
    public Uni<Silence> expire(UUID id, String actor) {
        return pool.withTransaction(conn -> silences.expire(conn, id)
                        .call(s -> s == null ? Uni.createFrom().voidItem() : silences.history(conn, s.id(), "EXPIRED", actor, s)))
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
        Map<String, Object> data = s.snapshot();
        data.put("actor", actor);
        LOG.infof("%s %s by %s (kind %s, agentId %s, severity %s)", type, s.id(), actor, s.kind(), s.agentId(),
                s.severity());
        EventEnvelope envelope = publisher.envelope(type, s.agentId(), data);
        publisher.fire(Streams.EVENTS, envelope);
        publisher.fire(Streams.ANCHOR, envelope);
    }
}

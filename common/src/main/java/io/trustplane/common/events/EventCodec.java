package io.trustplane.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The catalogue's codec: writes a typed {@link DomainEvent} in the wire envelope
 * {@code {"id","type","source","subject","time","data"}} and reads an envelope's data back as its record.
 */
public final class EventCodec {

    /** The envelope of a typed event as written on the wire, {@code data} being the record's fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outgoing(String id, String type, String source, String subject, Instant time, DomainEvent data) {
    }

    private final ObjectMapper mapper;
    private final ObjectMapper lenient;
    private final String source;

    public EventCodec(ObjectMapper mapper, String source) {
        this.mapper = mapper;
        // a newer producer may add fields within a schema version: consumers ignore what they do not know
        this.lenient = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.source = source;
    }

    /** A typed event in a fresh envelope with this service as its source. */
    public Outgoing outgoing(String subject, DomainEvent event) {
        return new Outgoing(UuidV7.next().toString(), event.eventType().wireName(), source, subject,
                Instant.now().truncatedTo(ChronoUnit.MICROS), event);
    }

    /** The envelope of an event made for the outbox (its id and time already fixed). */
    public Outgoing outgoing(Outbox.Pending p) {
        return new Outgoing(p.id(), p.event().eventType().wireName(), source, p.subject(), p.time(), p.event());
    }

    /** The same event as a generic envelope (data as a map), e.g. for a webhook payload: same id, same fields. */
    @SuppressWarnings("unchecked")
    public EventEnvelope envelope(Outbox.Pending p) {
        return new EventEnvelope(p.id(), p.event().eventType().wireName(), source, p.subject(), p.time(),
                lenient.convertValue(p.event(), java.util.Map.class));
    }

    /** A typed event's envelope as JSON, ready for XADD or the outbox. */
    public String toJson(String subject, DomainEvent event) {
        return toJson(outgoing(subject, event));
    }

    public String toJson(Outgoing outgoing) {
        try {
            return mapper.writeValueAsString(outgoing);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An envelope of {@code type} without {@code data} (and without {@code subject} when null), for a statement that
     * fills them in from the rows it changes (jsonb_set) and writes the event to the outbox in the same statement.
     * The test of each such statement decodes what it wrote back into the record.
     */
    public String template(String subject, EventType type) {
        return toJson(new Outgoing(UuidV7.next().toString(), type.wireName(), source, subject,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null));
    }

    public EventEnvelope fromJson(String json) {
        try {
            return mapper.readValue(json, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record of a received envelope; empty when the type is not in this build's catalogue (a newer producer).
     * Throws {@link IllegalArgumentException} when a known type's data does not fit its record.
     */
    public Optional<DomainEvent> decode(EventEnvelope envelope) {
        return EventType.byName(envelope.type()).map(t -> lenient.convertValue(envelope.data(), t.recordClass()));
    }
}

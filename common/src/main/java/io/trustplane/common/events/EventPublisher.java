package io.trustplane.common.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Appends {@link EventEnvelope}s to the shared Redis streams. {@link #publish} lets the caller wait for the
 * append; {@link #fire} does not, and a failed fire is logged and counted rather than failing the request
 * that caused it (the durable record lives in PostgreSQL). It is also the catalogue's codec: {@link #toJson(String,
 * DomainEvent)} writes a typed event in the envelope, {@link #decode} reads an envelope's data back as its record.
 * Events that must not be lost are not fired from here but written to the producer's outbox ({@link Outbox}).
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final ReactiveStreamCommands<String, String, String> streams;
    private final ObjectMapper mapper;
    private final EventCodec codec;
    private final EventsConfig config;
    private final Counter published;
    private final Counter failed;
    private final byte[] anchorKey;

    public EventPublisher(ReactiveRedisDataSource redis, ObjectMapper mapper, EventsConfig config,
            MeterRegistry registry) {
        this.streams = redis.stream(String.class);
        this.mapper = mapper;
        this.config = config;
        this.codec = new EventCodec(mapper, config.source());
        this.published = registry.counter("trustplane_events_published_total");
        this.failed = registry.counter("trustplane_events_publish_failed_total");
        Path keyFile = config.anchorKeysDir().map(dir -> AnchorAuth.keyFile(dir, config.source())).orElse(null);
        this.anchorKey = keyFile != null && Files.exists(keyFile) ? AnchorAuth.readKey(keyFile) : null;
        if (anchorKey == null) {
            LOG.warnf("no anchor key for %s (trustplane.events.anchor-keys-dir): provenance-service will not append"
                    + " its tp:anchor entries", config.source());
        }
    }

    /**
     * The event with this service's anchor tag ({@link AnchorAuth}); unchanged when the service has no key, or
     * when the event names another source (a service anchors only in its own name).
     */
    public EventEnvelope authenticated(EventEnvelope event) {
        if (anchorKey == null || !config.source().equals(event.source())) {
            return event;
        }
        return event.withAuth(AnchorAuth.tag(anchorKey, AnchorAuth.signedBytes(event, this::toJson)));
    }

    /** Builds an envelope with this service as its source: for payloads that are not stream events (webhook tests). */
    public EventEnvelope envelope(String type, String subject, Map<String, Object> data) {
        return EventEnvelope.of(type, config.source(), subject, data);
    }

    /** The catalogue's codec with this service as the envelopes' source. */
    public EventCodec codec() {
        return codec;
    }

    /** A typed event's envelope as JSON, ready for XADD or the outbox. */
    public String toJson(String subject, DomainEvent event) {
        return codec.toJson(subject, event);
    }

    /** The record of a received envelope; empty for a type this build does not know. See {@link EventCodec#decode}. */
    public Optional<DomainEvent> decode(EventEnvelope envelope) {
        return codec.decode(envelope);
    }

    /**
     * Fires a typed event to each of its streams (one envelope, one id) without making the caller wait. For
     * {@link EventType.Delivery#BUFFERED} events of services without a batching buffer; durable events go through
     * the {@link Outbox}.
     */
    public void fire(String subject, DomainEvent event) {
        EventCodec.Outgoing out = codec.outgoing(subject, event);
        String json = codec.toJson(out);
        for (String stream : event.eventType().streams()) {
            streams.xadd(stream, new XAddArgs().maxlen(config.maxLen()).nearlyExactTrimming(), Map.of(Streams.FIELD, json))
                    .subscribe().with(id -> published.increment(), failure -> {
                        failed.increment();
                        LOG.warnf("could not publish %s %s to %s: %s", out.type(), out.id(), stream, failure.toString());
                    });
        }
    }

    /** Appends the event and completes with its stream entry id. */
    public Uni<String> publish(String stream, EventEnvelope event) {
        EventEnvelope sent = Streams.ANCHOR.equals(stream) ? authenticated(event) : event;
        return streams.xadd(stream, new XAddArgs().maxlen(config.maxLen()).nearlyExactTrimming(),
                        Map.of(Streams.FIELD, toJson(sent)))
                .invoke(id -> published.increment());
    }

    public String toJson(EventEnvelope event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EventEnvelope fromJson(String json) {
        try {
            return mapper.readValue(json, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

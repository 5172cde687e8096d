package io.trustplane.provenance.events;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.StreamConsumer;
import io.trustplane.common.events.Streams;
import io.trustplane.common.events.UuidV7;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.repository.LogRepository;
import io.trustplane.provenance.service.CreationType;
import io.trustplane.provenance.service.LeafEncoder;
import io.trustplane.provenance.service.NewRecord;
import io.trustplane.provenance.service.Sequencer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Appends every event anchored on {@code tp:anchor} (ledger entries, gate decisions, alert changes) to the log
 * as an IMPORTED record with {@code metadata.kind = "anchor"}, the event in {@code metadata.event} and
 * {@code contentHash = "sha256:" + hex(SHA-256(RFC 8785 JSON of the event))}. Idempotent by event id: the
 * anchored_event table remembers every id, so a redelivered entry adds nothing.
 */
@ApplicationScoped
public class AnchorConsumer {

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Duration INSERT_TIMEOUT = Duration.ofSeconds(10);

    private final RedisDataSource redis;
    private final EventPublisher codec;
    private final LogRepository repository;
    private final Sequencer sequencer;
    private final ProvenanceConfig.Anchor config;
    private StreamConsumer consumer;

    public AnchorConsumer(RedisDataSource redis, EventPublisher codec, LogRepository repository,
            Sequencer sequencer, ProvenanceConfig config) {
        this.redis = redis;
        this.codec = codec;
        this.repository = repository;
        this.sequencer = sequencer;
        this.config = config.anchor();
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        consumer = new StreamConsumer(redis, codec, Streams.ANCHOR, config.group(), "provenance-" + UUID.randomUUID(),
                config.batchSize(), config.block(), config.claimIdle(), this::handle);
        consumer.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (consumer != null) {
            consumer.close();
        }
    }

    void handle(String entryId, EventEnvelope event) throws Exception {
        if (event.id() == null) {
            return; // nothing to be idempotent by; not an envelope this platform writes
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", event.id());
        envelope.put("type", event.type());
        envelope.put("source", event.source());
        envelope.put("subject", event.subject());
        envelope.put("time", event.time() == null ? null : event.time().toString());
        envelope.put("data", event.data());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(LeafEncoder.canonical(envelope));
        Map<String, Object> metadata = Map.of("kind", "anchor", "event", envelope);
        String agentId = event.subject() != null && AGENT_ID.matcher(event.subject()).matches() ? event.subject()
                : event.source() != null && AGENT_ID.matcher(event.source()).matches() ? event.source() : "anchor";
        // anchored events are never refused for size: they are already facts elsewhere
        String metadataJson = new String(LeafEncoder.canonical(metadata), java.nio.charset.StandardCharsets.UTF_8);
        NewRecord record = new NewRecord(UuidV7.next(), agentId, CreationType.IMPORTED, null,
                "sha256:" + HexFormat.of().formatHex(digest), metadataJson);
        if (Boolean.TRUE.equals(repository.insertAnchored(event.id(), record).await().atMost(INSERT_TIMEOUT))) {
            sequencer.signal();
        }
    }
}

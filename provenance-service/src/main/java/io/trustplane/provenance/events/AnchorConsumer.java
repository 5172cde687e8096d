package io.trustplane.provenance.events;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.StreamConsumer;
import io.trustplane.common.events.Streams;
import io.trustplane.common.events.UuidV7;
import io.trustplane.common.validation.Ids;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.domain.CreationType;
import io.trustplane.provenance.domain.NewRecord;
import io.trustplane.provenance.service.AnchorService;
import io.trustplane.provenance.service.LeafEncoder;
import io.trustplane.provenance.service.Sequencer;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.MeterRegistry;
import io.trustplane.common.events.AnchorAuth;
import io.trustplane.common.events.EventsConfig;
import jakarta.enterprise.event.Observes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.jboss.logging.Logger;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Appends every event anchored on {@code tp:anchor} (ledger entries, gate decisions, alert changes) to the log
 * as an IMPORTED record with {@code metadata.kind = "anchor"}, the event in {@code metadata.event} and
 * {@code contentHash = "sha256:" + hex(SHA-256(RFC 8785 JSON of the event))}. Idempotent by event id: the
 * anchored_event table remembers every id, so a redelivered entry adds nothing. Only entries whose
 * {@link AnchorAuth} tag verifies under the key of the producer they name are appended; that producer is recorded
 * as {@code metadata.submitter} in the leaf.
 */
@ApplicationScoped
public class AnchorConsumer {

    private static final Logger LOG = Logger.getLogger(AnchorConsumer.class);
    private static final Pattern AGENT_ID = Pattern.compile(Ids.PATTERN);

    private final RedisDataSource redis;
    private final EventPublisher codec;
    private final AnchorService anchors;
    private final Sequencer sequencer;
    private final ProvenanceConfig.Anchor config;
    private final Map<String, byte[]> producerKeys;
    private final MeterRegistry registry;
    private StreamConsumer consumer;

    public AnchorConsumer(RedisDataSource redis, EventPublisher codec, AnchorService anchors,
            Sequencer sequencer, ProvenanceConfig config, EventsConfig events, MeterRegistry registry) {
        this.redis = redis;
        this.codec = codec;
        this.anchors = anchors;
        this.sequencer = sequencer;
        this.config = config.anchor();
        this.registry = registry;
        Map<String, byte[]> keys = new HashMap<>();
        events.anchorKeysDir().ifPresent(dir -> this.config.producers().forEach(p -> {
            Path file = AnchorAuth.keyFile(dir, p);
            if (Files.exists(file)) {
                keys.put(p, AnchorAuth.readKey(file));
            }
        }));
        if (keys.size() < this.config.producers().size()) {
            LOG.warnf("anchor keys found for %s of %s (trustplane.events.anchor-keys-dir): entries of the others are"
                    + " not appended", keys.keySet(), this.config.producers());
        }
        this.producerKeys = Map.copyOf(keys);
    }

    /**
     * Why an entry may not be appended, or null when its tag verifies under the key of the producer it names.
     * The submitter the leaf records is that verified source.
     */
    String refusal(EventEnvelope event) {
        byte[] key = event.source() == null ? null : producerKeys.get(event.source());
        if (key == null) {
            return "unknown_producer";
        }
        if (event.auth() == null) {
            return "unauthenticated";
        }
        return AnchorAuth.verify(key, AnchorAuth.signedBytes(event, codec::toJson), event.auth()) ? null : "bad_tag";
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
        String refusal = refusal(event);
        if (refusal != null) {
            // acknowledged and dropped: a forged or misconfigured entry never becomes a leaf
            registry.counter("trustplane_anchor_refused_total", "reason", refusal).increment();
            LOG.warnf("tp:anchor entry %s (event %s, type %s, source %s) not appended: %s", entryId, event.id(),
                    event.type(), event.source(), refusal);
            return;
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", event.id());
        envelope.put("type", event.type());
        envelope.put("source", event.source());
        envelope.put("subject", event.subject());
        envelope.put("time", event.time() == null ? null : event.time().toString());
        envelope.put("data", event.data());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(LeafEncoder.canonical(envelope));
        // the submitter is the verified producer, inside the signed leaf; the tag itself is not part of the leaf
        Map<String, Object> metadata = Map.of("kind", "anchor", "submitter", event.source(), "event", envelope);
        String agentId = event.subject() != null && AGENT_ID.matcher(event.subject()).matches() ? event.subject()
                : event.source() != null && AGENT_ID.matcher(event.source()).matches() ? event.source() : "anchor";
        // anchored events are never refused for size: they are already facts elsewhere
        String metadataJson = new String(LeafEncoder.canonical(metadata), java.nio.charset.StandardCharsets.UTF_8);
        NewRecord record = new NewRecord(UuidV7.next(), agentId, CreationType.IMPORTED, null,
                "sha256:" + HexFormat.of().formatHex(digest), metadataJson);
        if (Boolean.TRUE.equals(anchors.append(event.id(), record).await().atMost(config.insertTimeout()))) {
            sequencer.signal();
        }
    }
}

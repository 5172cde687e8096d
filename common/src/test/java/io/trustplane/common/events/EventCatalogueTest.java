package io.trustplane.common.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue's contract: records and {@link EventType} entries are one-to-one, every record survives a round
 * trip through the wire envelope, the envelope keeps its six fields, and a type this build does not know decodes to
 * nothing rather than failing.
 */
class EventCatalogueTest {

    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final EventCodec codec = new EventCodec(MAPPER, "test-service");

    @Test
    void everyRecordOfTheSealedInterfaceHasExactlyOneCatalogueEntry() {
        Set<Class<?>> permitted = new HashSet<>(Arrays.asList(DomainEvent.class.getPermittedSubclasses()));
        Set<Class<?>> catalogued = Arrays.stream(EventType.values()).map(EventType::recordClass)
                .collect(Collectors.toSet());
        assertThat(catalogued).isEqualTo(permitted);
        assertThat(Arrays.stream(EventType.values()).map(EventType::wireName).distinct().count())
                .isEqualTo(EventType.values().length);
        for (EventType t : EventType.values()) {
            assertThat(EventType.of(t.recordClass())).isEqualTo(t);
            assertThat(EventType.byName(t.wireName())).contains(t);
            assertThat(t.wireName()).matches("[a-z_]+\\.[a-z_]+");
        }
    }

    @Test
    void visitorHasOneMethodPerRecordAndEachRecordDispatchesToItsOwn() {
        assertThat(DomainEvent.Visitor.class.getDeclaredMethods()).hasSize(EventType.values().length);
        for (EventType t : EventType.values()) {
            DomainEvent sample = EventSamples.of(t);
            Object seen = sample.accept(RecordingVisitor.INSTANCE);
            assertThat(seen).isSameAs(sample);
        }
    }

    @Test
    void everyRecordRoundTripsThroughTheEnvelopeWithStableFieldNames() throws Exception {
        for (EventType t : EventType.values()) {
            DomainEvent sample = EventSamples.of(t);
            String json = codec.toJson("agent-7", sample);
            JsonNode tree = MAPPER.readTree(json);
            assertThat(fieldNames(tree)).as(t.wireName())
                    .containsExactly("id", "type", "source", "subject", "time", "data");
            assertThat(tree.get("type").asText()).isEqualTo(t.wireName());
            assertThat(tree.get("source").asText()).isEqualTo("test-service");
            assertThat(tree.get("subject").asText()).isEqualTo("agent-7");
            List<String> components = Arrays.stream(t.recordClass().getRecordComponents())
                    .map(RecordComponent::getName).toList();
            assertThat(fieldNames(tree.get("data"))).as(t.wireName()).containsExactlyElementsOf(components);

            EventEnvelope received = codec.fromJson(json);
            assertThat(received.id()).isEqualTo(tree.get("id").asText());
            assertThat(codec.decode(received)).as(t.wireName()).contains(sample);
        }
    }

    @Test
    void optionalFieldsAreLeftOutWhenAbsentAndReadBackAsAbsent() throws Exception {
        DomainEvent.LeaseReleased released = new DomainEvent.LeaseReleased("l-1", "t-1", "SPEC", "agent-1", 3, null,
                null);
        String json = codec.toJson("agent-1", released);
        assertThat(fieldNames(MAPPER.readTree(json).get("data")))
                .containsExactly("leaseId", "taskId", "phase", "holder", "fencingToken");
        assertThat(codec.decode(codec.fromJson(json))).contains(released);
    }

    @Test
    void aTypeFromANewerProducerDecodesToNothingAndANewFieldIsIgnored() {
        EventEnvelope unknown = new EventEnvelope("0190-x", "lease.teleported", "lease-service", "a", null,
                Map.of("taskId", "t"));
        assertThat(codec.decode(unknown)).isEmpty();
        EventEnvelope newer = new EventEnvelope("0190-y", "task.created", "lease-service", "a", null,
                Map.of("taskId", "t", "addedLater", 1));
        assertThat(codec.decode(newer)).contains(new DomainEvent.TaskCreated("t"));
    }

    @Test
    void everyProducedTypeHasAConsumer() {
        for (EventType t : EventType.produced()) {
            assertThat(t.consumers()).as(t.wireName()).isNotBlank();
        }
        assertThat(EventType.produced()).contains(EventType.PHASE_STRATEGIZE_SKIPPED, EventType.ROLLOUT_CREATED,
                EventType.ROLLOUT_PAUSED, EventType.ROLLOUT_RESUMED, EventType.ESCALATION_AWAITING_OPERATOR,
                EventType.LEASE_RENEWED, EventType.TASK_CREATED);
    }

    @Test
    void anchoredEventsAndEveryDenialEscalationAndBreachAreDurable() {
        for (EventType t : EventType.values()) {
            if (t.anchored()) {
                assertThat(t.delivery()).as(t.wireName()).isEqualTo(EventType.Delivery.OUTBOX);
                assertThat(t.streams()).contains(Streams.ANCHOR);
            }
        }
        assertThat(EnumSetOf(EventType.Delivery.BUFFERED)).containsExactlyInAnyOrder(EventType.ROLE_GATE_ALLOWED,
                EventType.CEILING_WARNING, EventType.ROLLOUT_METRICS, EventType.PROVENANCE_CREATED,
                EventType.CHECKPOINT_PUBLISHED);
    }

    private static Set<EventType> EnumSetOf(EventType.Delivery d) {
        return Arrays.stream(EventType.values()).filter(t -> t.delivery() == d).collect(Collectors.toSet());
    }

    static List<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return List.copyOf(names);
    }
}

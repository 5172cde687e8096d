package io.trustplane.telemetry.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.common.events.EventType;
import io.trustplane.telemetry.domain.ingest.EventEffects;
import io.trustplane.telemetry.domain.ingest.EventInterpreter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

import static io.trustplane.telemetry.TestSupport.awaitProcessed;
import static io.trustplane.telemetry.TestSupport.publish;
import static io.trustplane.telemetry.TestSupport.publishUnknown;
import static io.trustplane.telemetry.TestSupport.scalar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * telemetry-service as a consumer of the catalogue: every type decodes from the envelope its producer writes and
 * has an effect here when docs/events.md says telemetry reads it; a type from a newer producer is counted and
 * skipped (recorded as processed, no effect, no crash), and so is data that does not fit its record.
 */
@QuarkusTest
class EventContractResourceTest {

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    MeterRegistry registry;

    @Test
    void everyTypeTelemetryConsumesHasAnEffectBeyondItsTypeCount() {
        for (EventType t : EventType.values()) {
            DomainEvent sample = sample(t);
            EventEnvelope envelope = publisher.codec().envelope(io.trustplane.common.events.Outbox.event("agent-c",
                    sample));
            DomainEvent decoded = publisher.decode(envelope).orElseThrow();
            assertThat(decoded).isEqualTo(sample);
            EventEffects fx = EventInterpreter.interpret(envelope, decoded);
            assertThat(fx.increments().get(0).name()).isEqualTo("events." + t.wireName());
            boolean hasEffect = fx.increments().size() > 1 || fx.score().isPresent() || fx.tier().isPresent()
                    || fx.leaseAcquired().isPresent() || fx.leaseEnded().isPresent() || fx.logSize().isPresent()
                    || fx.gamingSignal().isPresent() || fx.rollout().isPresent() || fx.rolloutSample().isPresent()
                    || fx.alert().isPresent();
            boolean declared = t.consumers().contains("telemetry-service:")
                    && !t.consumers().contains("telemetry-service: counter events." + t.wireName() + " only");
            assertThat(hasEffect).as(t.wireName() + " (docs: " + t.consumers() + ")").isEqualTo(declared);
        }
    }

    @Test
    void anUnknownTypeAndDataThatDoesNotFitAreCountedAndSkipped() {
        double unknownBefore = registry.counter("telemetry_events_unknown_total").count();
        double malformedBefore = registry.counter("telemetry_events_malformed_total").count();
        long leasesBefore = scalar(pool, "SELECT count(*) FROM leases_active");
        EventEnvelope newer = publishUnknown(publisher, "lease.teleported", "agent-u", Map.of("leaseId", "L-x"));
        EventEnvelope broken = publishUnknown(publisher, "lease.acquired", "agent-u",
                Map.of("leaseId", "L-y", "fencingToken", "not a number"));
        EventEnvelope fine = publish(publisher, "agent-u", new DomainEvent.TaskCreated("T-u"));
        awaitProcessed(pool, List.of(newer, broken, fine));
        assertThat(registry.counter("telemetry_events_unknown_total").count()).isEqualTo(unknownBefore + 1);
        assertThat(registry.counter("telemetry_events_malformed_total").count()).isEqualTo(malformedBefore + 1);
        assertThat(scalar(pool, "SELECT count(*) FROM leases_active")).isEqualTo(leasesBefore);
    }

    /** One instance of a record with every field set. */
    static DomainEvent sample(EventType type) {
        RecordComponent[] components = type.recordClass().getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> c = components[i].getType();
            types[i] = c;
            String name = components[i].getName();
            args[i] = c == String.class ? sampleString(name) : c == long.class || c == Long.class ? 7L
                    : c == int.class || c == Integer.class ? (Object) 7 : c == double.class ? (Object) 7.5
                    : c == boolean.class || c == Boolean.class ? (Object) Boolean.TRUE
                    : c == java.util.Map.class ? (Object) java.util.Map.of("k", "v") : List.of("x");
        }
        try {
            return type.recordClass().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sampleString(String field) {
        return switch (field) {
            case "signal" -> "BOUNDARY_TESTING";
            case "severity" -> "high";
            case "cohort" -> "cohort";
            case "tier" -> "BASIC";
            default -> field + "-1";
        };
    }
}

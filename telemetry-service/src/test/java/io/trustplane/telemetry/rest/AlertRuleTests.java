package io.trustplane.telemetry.rest;

import io.trustplane.common.events.EventEnvelope;
import io.trustplane.common.events.EventPublisher;
import io.trustplane.telemetry.domain.alert.Alert;
import io.trustplane.telemetry.repository.AlertRepository;
import io.trustplane.telemetry.service.RuleEngine;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.trustplane.telemetry.TestSupport.awaitProcessed;

/**
 * What the alert-rule tests share: events published as producers do, waited for until telemetry processed them,
 * the rules evaluated, and the open alert of a fingerprint read back.
 */
abstract class AlertRuleTests {

    @Inject
    EventPublisher publisher;
    @Inject
    Pool pool;
    @Inject
    RuleEngine engine;
    @Inject
    AlertRepository alerts;

    /** Waits until every event's effect is committed. */
    void settle(List<EventEnvelope> events) {
        awaitProcessed(pool, events);
    }

    /** The open alert with this fingerprint ({@code rule:<id>} for a rule's), if any. */
    Optional<Alert> open(String fingerprint) {
        return alerts.findByFingerprint(fingerprint).await().atMost(Duration.ofSeconds(5)).filter(a -> a.status().isOpen());
    }
}

package io.trustplane.telemetry.domain.notification;

import java.time.OffsetDateTime;

/** One delivery of one event to one subscription, after retries: its outcome, attempts and last error. */
public record Delivery(long id, String subscriptionId, String eventId, String eventType, String outcome,
        int attempts, Integer httpStatus, String error, OffsetDateTime at) {
}

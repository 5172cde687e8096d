package io.trustplane.telemetry.domain.notification;

/** The payload shape a subscription receives. */
public enum SubscriptionKind {
    /** The event envelope as JSON, signed with X-Webhook-Signature. */
    WEBHOOK,
    /** A Slack incoming-webhook message: text plus blocks. */
    SLACK,
    /** A PagerDuty Events API v2 enqueue body; the secret is the routing key. */
    PAGERDUTY
}

package io.trustplane.common.events;

/** Names of the Redis streams the services share, and the one field each entry carries. */
public final class Streams {

    /** Every domain event; telemetry-service consumes it. */
    public static final String EVENTS = "tp:events";
    /** Records that must be anchored in the provenance log; provenance-service consumes it. */
    public static final String ANCHOR = "tp:anchor";
    /** The stream entry field holding the JSON {@link EventEnvelope}. */
    public static final String FIELD = "event";

    private Streams() {
    }
}

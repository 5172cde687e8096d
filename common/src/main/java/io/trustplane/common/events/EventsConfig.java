package io.trustplane.common.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.nio.file.Path;
import java.util.Optional;

/** Settings of the shared event bus on Redis Streams. */
@ConfigMapping(prefix = "trustplane.events")
public interface EventsConfig {

    /** The envelope's {@code source}: the publishing service's name. */
    @WithDefault("${quarkus.application.name}")
    String source();

    /**
     * The directory holding this service's anchor key ({@code anchor-<source>.key}, see {@link AnchorAuth}).
     * Without it, entries on tp:anchor carry no tag and provenance-service does not append them.
     */
    Optional<Path> anchorKeysDir();

    /** Approximate MAXLEN each stream is trimmed to on every append. */
    @WithDefault("1000000")
    long maxLen();

    /** The transactional outbox and its relay (docs/events.md). */
    OutboxConfig outbox();

    /** Settings of {@link OutboxRelay}. */
    interface OutboxConfig {

        /** On in services whose database has the {@code event_outbox} table. */
        @WithDefault("false")
        boolean enabled();

        /** Rows per relay round (one PostgreSQL transaction and one pipelined Redis batch). */
        @WithDefault("500")
        int batchSize();

        /** How often an idle relay looks for rows other replicas committed (its own commits wake it at once). */
        @WithDefault("200ms")
        Duration poll();

        /** First wait after a failed round (Redis or PostgreSQL away); doubles up to {@link #maxBackoff()}. */
        @WithDefault("100ms")
        Duration minBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** The advisory lock that lets one replica relay at a time (per service database). */
        @WithDefault("7796109441138337144")
        long lockKey();
    }
}

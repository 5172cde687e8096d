package io.trustplane.common.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}

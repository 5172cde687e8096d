package io.trustplane.common.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the shared event bus on Redis Streams. */
@ConfigMapping(prefix = "trustplane.events")
public interface EventsConfig {

    /** The envelope's {@code source}: the publishing service's name. */
    @WithDefault("${quarkus.application.name}")
    String source();

    /** Approximate MAXLEN each stream is trimmed to on every append. */
    @WithDefault("1000000")
    long maxLen();
}

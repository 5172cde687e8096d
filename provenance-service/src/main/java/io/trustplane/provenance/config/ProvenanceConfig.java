package io.trustplane.provenance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the provenance log; every default is documented in application.properties. */
@ConfigMapping(prefix = "trustplane.provenance")
public interface ProvenanceConfig {

    Sequencer sequencer();

    Records records();

    Anchor anchor();

    /** Group commit of pending records into the tree. */
    interface Sequencer {
        /** Most records integrated (one tree update, one signature) per batch. */
        @WithDefault("512")
        int batchSize();

        /** Longest a pending record waits before an idle sequencer looks again (fallback to signals). */
        @WithDefault("100ms")
        Duration maxInterval();

        /** Pause before retrying when another replica holds the sequencer lock. */
        @WithDefault("5ms")
        Duration lockRetry();

        /** How long POST waits for integration before answering 503 (the record stays queued). */
        @WithDefault("30s")
        Duration awaitTimeout();

        /** How often waiters not woken by the local sequencer (another replica integrated) check the table. */
        @WithDefault("25ms")
        Duration waitPoll();

        /** Advisory-lock key that elects the one sequencer across replicas. */
        @WithDefault("6962")
        long lockKey();
    }

    /** Record limits and queries. */
    interface Records {
        /** Largest canonical JSON size of {@code metadata}, in bytes. */
        @WithDefault("16384")
        int maxMetadataBytes();

        @WithDefault("20")
        int defaultLimit();

        @WithDefault("500")
        int maxLimit();

        /** Longest lineage returned (the chain is acyclic; this only bounds the response). */
        @WithDefault("10000")
        int maxLineage();
    }

    /** The tp:anchor consumer. */
    interface Anchor {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("provenance-service")
        String group();

        @WithDefault("100")
        int batchSize();

        @WithDefault("1s")
        Duration block();

        @WithDefault("30s")
        Duration claimIdle();

        /**
         * The services whose tp:anchor entries are appended, each verified with its key
         * {@code anchor-<service>.key} in {@code trustplane.events.anchor-keys-dir}; anything else is refused.
         */
        @WithDefault("lease-service,gate-service,telemetry-service")
        java.util.List<String> producers();
    }
}

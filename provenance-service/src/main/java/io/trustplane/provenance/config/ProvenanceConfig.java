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

    Witness witness();

    Tiles tiles();

    /** The tlog-tiles routes. */
    interface Tiles {
        /** Full hash tiles (8 KiB each, immutable) kept in memory per replica; 0 turns the cache off. */
        @WithDefault("4096")
        int cacheSize();
    }

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

        /**
         * Longest one integrating transaction may take before the loop gives up on it and tries again (the batch
         * stays queued); also how long a stopping sequencer waits for the batch in hand.
         */
        @WithDefault("30s")
        Duration batchTimeout();

        /** Pause before the LISTEN connection for other replicas' batches is opened again after it dropped. */
        @WithDefault("500ms")
        Duration listenReconnect();
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

        /** Most anchors of one task's ledger returned by {@code GET /v1/anchors/ledger/{taskId}}. */
        @WithDefault("10000")
        int maxLedgerAnchors();
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

        /** Longest the consumer waits for an anchored event's record to be queued before the entry is retried. */
        @WithDefault("10s")
        Duration insertTimeout();

        /**
         * The services whose tp:anchor entries are appended, each verified with its key
         * {@code anchor-<service>.key} in {@code trustplane.events.anchor-keys-dir}; anything else is refused.
         */
        @WithDefault("lease-service,gate-service,telemetry-service")
        java.util.List<String> producers();
    }

    /** Witnesses (C2SP tlog-witness) the sequencer asks to cosign each new checkpoint, and the finality policy. */
    interface Witness {
        /** Witnesses by id: each an add-checkpoint URL and its cosignature/v1 verifier key. None by default. */
        java.util.Map<String, Endpoint> endpoints();

        /** How many of the configured witnesses must have cosigned a checkpoint for it to count as final. */
        @WithDefault("0")
        int quorum();

        /** Longest a witness request may take; a witness that does not answer in time is tried at the next round. */
        @WithDefault("5s")
        Duration timeout();

        /** Longest opening the connection to a witness may take (within {@code timeout}). */
        @WithDefault("5s")
        Duration connectTimeout();

        /** How often one round re-sends to a witness that answered 409 with a tree size this log can prove from. */
        @WithDefault("2")
        int conflictRetries();

        /** One witness. */
        interface Endpoint {
            /** The witness's add-checkpoint URL, e.g. https://witness.example/add-checkpoint */
            String url();

            /** The witness's cosignature/v1 verifier key {@code <name>+<key id>+<base64(0x04 || key)>}. */
            String key();
        }
    }
}

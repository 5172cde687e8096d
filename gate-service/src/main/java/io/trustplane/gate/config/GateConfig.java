package io.trustplane.gate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.trustplane.gate.domain.Tier;

import java.time.Duration;
import java.util.List;
import java.util.Map;


/** Every gate-service setting; the defaults are documented in application.properties. */
@ConfigMapping(prefix = "trustplane.gate")
public interface GateConfig {

    Tiers tiers();

    /** Regulatory framework name -> maximum effective score. */
    Map<String, Integer> regulatoryCaps();

    /** Role name -> requirement. */
    Map<String, Role> roles();

    Cache cache();

    Escalation escalation();

    Truth truth();

    Ceiling ceiling();

    Rollout rollout();

    Events events();

    /** Batching of hot-path events. */
    interface Events {
        /** Events buffered before new ones are dropped (and counted). */
        int buffer();

        /** XADDs pipelined in one round trip. */
        int batchSize();

        /** How often the buffer is flushed (and a refused batch retried) besides the flush each event starts. */
        Duration flushInterval();
    }

    /** Lower score bound of each tier above UNKNOWN. */
    interface Tiers {
        int basic();

        int verified();

        int trusted();

        int privileged();
    }

    interface Role {
        Tier minTier();

        @WithDefault("false")
        boolean kernelEnforced();
    }

    interface Cache {
        /** Redis pub/sub channel carrying invalidations between replicas. */
        String channel();

        /** Safety-net full reload of policies (and agent cache flush) in case a pub/sub message was missed. */
        Duration reloadInterval();

        /** Agents held in memory before the cache is flushed. */
        int maxAgents();

        /** How long startup waits for the first policy load before the scheduled reload takes over. */
        Duration startupLoadTimeout();

        /** How often a lost invalidation subscription is re-established. */
        Duration resubscribeInterval();
    }

    interface Escalation {
        int n();

        int f();

        /** Caller ids allowed to vote. */
        List<String> validators();

        /** Time validators have before the escalation degrades to an operator decision. */
        Duration timeout();

        /** How often each replica moves escalations past their deadline to AWAITING_OPERATOR. */
        Duration sweepInterval();

        /** Escalations one sweep moves at most. */
        int sweepBatch();
    }

    interface Truth {
        /** Weight ratio between one outcome and the next newer one. */
        double decay();

        /** How many most recent outcomes are scored. */
        int window();

        /** The share that leaves the score unchanged. */
        double neutral();

        /** Score points per unit of share above/below neutral, per outcome. */
        double weight();
    }

    interface Ceiling {
        /** Tier name -> resource type -> limit per window. */
        Map<String, Map<String, Long>> limits();

        /** Window length per resource type; others use {@link #defaultWindow()}. */
        Map<String, Duration> windows();

        Duration defaultWindow();

        double warningRatio();

        /** When Redis is unreachable: false = refuse with 503 (fail closed), true = allow. */
        boolean failOpen();

        /** The {@code Retry-After} a fail-closed 503 names. */
        Duration retryAfter();
    }

    interface Rollout {
        /** Default stage percentages of a new flag. */
        List<Integer> stages();

        /** Default response-time increase (%) that triggers rollback, per stage except the last. */
        List<Integer> responseTimeTriggers();

        /** Default error-rate increase (%) that triggers rollback, per stage except the last. */
        List<Integer> errorRateTriggers();

        /** What triggers rollback at the final (100 %) stage. */
        String finalStageTrigger();
    }

}

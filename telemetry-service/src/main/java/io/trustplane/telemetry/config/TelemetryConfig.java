package io.trustplane.telemetry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every tunable of telemetry-service; defaults are documented in application.properties. */
@ConfigMapping(prefix = "trustplane.telemetry")
public interface TelemetryConfig {

    Ingest ingest();

    Counters counters();

    Rules rules();

    Gaming gaming();

    Notifications notifications();

    Stats stats();

    SuiteHealth suiteHealth();

    Rollout rollout();

    Silences silences();

    /**
     * How long a scheduled pass (rules, gaming detectors, rollout guard) waits for one PostgreSQL call before it gives
     * up; the pass logs it and the next pass tries again.
     */
    @WithDefault("PT10S")
    Duration storeTimeout();

    /** Stream consumer and HTTP ingest queue. */
    interface Ingest {
        @WithDefault("telemetry-service")
        String group();

        /**
         * Most stream entries one read takes and one transaction applies. A read returns what is there, so batches
         * are small when idle and grow to this under load, where they share one commit and one statement per kind.
         */
        @WithDefault("500")
        int batchSize();

        /** XREADGROUP block; must stay below quarkus.redis.timeout. */
        @WithDefault("PT1S")
        Duration block();

        /** Entries pending on a dead consumer longer than this are claimed. */
        @WithDefault("PT30S")
        Duration claimIdle();

        /** Bound of the HTTP ingest queue, in counter lines waiting for the durable writer. */
        @WithDefault("10000")
        int queueCapacity();

        /** Counter lines one writer transaction takes from the queue. */
        @WithDefault("2000")
        int writerBatch();

        /** Seconds a 429 tells the caller to wait. */
        @WithDefault("1")
        int retryAfterSeconds();

        /** Most counter lines in one POST /v1/events. */
        @WithDefault("1000")
        int maxBatch();

        /** How far in the past a counter line's timestamp may lie. */
        @WithDefault("PT24H")
        Duration maxAge();

        /** How far in the future a counter line's timestamp may lie (clock skew). */
        @WithDefault("PT5M")
        Duration maxSkew();

        /** How long shutdown waits for the queue to drain. */
        @WithDefault("PT10S")
        Duration drainTimeout();

        /** How long one group-commit transaction (HTTP lines or a stream batch) may take before it is failed. */
        @WithDefault("PT30S")
        Duration writeTimeout();
    }

    /** Windowed counters. */
    interface Counters {
        @WithDefault("10")
        int bucketSeconds();

        /** Buckets older than this are deleted. */
        @WithDefault("P2D")
        Duration retention();

        /** How often the retention job runs (a scheduler expression, e.g. 1h). */
        @WithDefault("1h")
        String purgeInterval();

        /** How long one retention statement may take. */
        @WithDefault("PT1M")
        Duration purgeTimeout();
    }

    interface Silences {
        /** The most silences {@code GET /v1/silences} lists. */
        @WithDefault("500")
        int listLimit();
    }

    /** Alert rule evaluation. */
    interface Rules {
        /** Counters touched since the last pass are evaluated this often; all rules every full-interval. */
        @WithDefault("PT1S")
        Duration evaluateInterval();

        /** Every enabled rule (and the rule cache) is re-evaluated this often even without new events. */
        @WithDefault("PT30S")
        Duration sweepInterval();

        /**
         * The smallest denominator sum in the window before a RATIO rule may fire (our addition to seed 001: one
         * failure out of one attempt is not a 100 % failure rate worth waking anyone for). A rule's own
         * {@code minDenominator} raises it, never lowers it.
         */
        @WithDefault("20")
        long minSample();
    }

    /** Gaming detectors; windows and thresholds per detector. */
    interface Gaming {
        @WithDefault("PT10M")
        Duration rapidChangeWindow();

        /** Max-min trust score spread inside the window that counts as a rapid change. */
        @WithDefault("150")
        double rapidChangeDelta();

        @WithDefault("PT30M")
        Duration oscillationWindow();

        /** Direction reversals inside the window that count as oscillation. */
        @WithDefault("4")
        int oscillationReversals();

        /** Score moves smaller than this are noise for oscillation. */
        @WithDefault("10")
        double oscillationMinStep();

        @WithDefault("PT10M")
        Duration boundaryWindow();

        /** Denials plus ceiling warnings for one agent inside the window that count as boundary testing. */
        @WithDefault("5")
        int boundaryProbes();

        @WithDefault("PT1H")
        Duration ceilingBreachWindow();

        @WithDefault("1")
        int ceilingBreaches();

        /** Breaches inside the window that make a CEILING_BREACH alert HIGH; fewer leave it MEDIUM. */
        @WithDefault("3")
        int ceilingBreachesHigh();
    }

    /** Outbound notifications. */
    interface Notifications {
        @WithDefault("2")
        int maxRetries();

        @WithDefault("PT0.2S")
        Duration retryDelay();

        @WithDefault("PT5S")
        Duration retryMaxDelay();

        @WithDefault("PT5S")
        Duration timeout();

        @WithDefault("10")
        int circuitRequestVolume();

        @WithDefault("0.5")
        double circuitFailureRatio();

        @WithDefault("PT30S")
        Duration circuitDelay();

        /** Consecutive failed deliveries after which a subscription is disabled. */
        @WithDefault("5")
        int disableAfter();

        @WithDefault("4")
        int workers();

        /**
         * Alert notifications of the same kind (rule id or gaming pattern) and agent inside this interval go out as
         * one message: the first at once, the rest together when the interval ends.
         */
        @WithDefault("PT5M")
        Duration groupInterval();

        /** Refuse subscription URLs on loopback/private/link-local addresses unless their host is listed. */
        @WithDefault("true")
        boolean denyPrivateAddresses();

        Optional<List<String>> allowedHosts();

        /** Where PagerDuty bodies go when a PAGERDUTY subscription names no URL. */
        @WithDefault("https://events.pagerduty.com/v2/enqueue")
        String pagerdutyUrl();
    }

    /** GET /v1/stats. */
    interface Stats {
        @WithDefault("PT30S")
        Duration cacheTtl();

        @WithDefault("PT2S")
        Duration remoteTimeout();
    }

    /** GET /v1/health/suite. */
    interface SuiteHealth {
        @WithDefault("PT10S")
        Duration pollInterval();

        /** A status older than this is reported as unknown. */
        @WithDefault("PT30S")
        Duration staleAfter();

        /** A ready answer slower than this is degraded. */
        @WithDefault("PT1S")
        Duration degradedLatency();

        @WithDefault("PT3S")
        Duration timeout();
    }

    /** Rollout guard. */
    interface Rollout {
        @WithDefault("PT15S")
        Duration checkInterval();

        @WithDefault("PT10M")
        Duration window();

        /** Fewer samples (requests) than this in an arm the comparison needs never trigger (seed 004 issue: 200). */
        @WithDefault("200")
        long minRequests();

        /** Trigger when the cohort's error rate exceeds the control's by more than this (absolute: 0.01 = 1 point). */
        @WithDefault("0.01")
        double maxErrorRateDelta();

        /** Trigger when the cohort's p95 latency exceeds the control's times this factor, where no stage applies. */
        @WithDefault("1.5")
        double maxLatencyRatio();

        /**
         * Seed 004's response-time triggers by stage, {@code <from percent>:<max p95 increase>}: a rollout at 5 %
         * rolls back above +5 %, from 15 % above +7 %, from 50 % above +8 %.
         */
        @WithDefault("5:0.05,15:0.07,50:0.08")
        java.util.List<String> stageLatencyIncreases();

        /** At 100 % (no control left): the SLA's p95 latency in ms the cohort must stay under (0: none). */
        @WithDefault("1000")
        double slaP95LatencyMs();

        /** At 100 %: the SLA's error rate the cohort must stay under (0: none). */
        @WithDefault("0.01")
        double slaErrorRate();

        /** The limits {@link io.trustplane.telemetry.domain.rollout.RolloutTriggers} applies. */
        default io.trustplane.telemetry.domain.rollout.RolloutTriggers.Limits limits() {
            return new io.trustplane.telemetry.domain.rollout.RolloutTriggers.Limits(minRequests(), maxErrorRateDelta(),
                    maxLatencyRatio(), stageLatencyIncreases().stream()
                    .map(io.trustplane.telemetry.domain.rollout.RolloutTriggers.Stage::parse).toList(),
                    slaP95LatencyMs(), slaErrorRate());
        }

        @WithDefault("true")
        boolean autoRollback();
    }
}

package io.trustplane.lease.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings of the lease-service; every default is documented in application.properties. */
@ConfigMapping(prefix = "trustplane.lease")
public interface LeaseConfig {

    /** TTL of a lease when the request names none. */
    @WithDefault("300s")
    Duration defaultTtl();

    /** Longest TTL a caller may ask for. */
    @WithDefault("3600s")
    Duration maxTtl();

    /** Renewals allowed per grant; the next one is 409. */
    @WithDefault("10")
    int maxRenewals();

    /** How often each replica sweeps lapsed leases (read by the scheduler expression too). */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Most leases one sweep expires (the rest wait for the next sweep). */
    @WithDefault("500")
    int sweepBatch();

    /** Redis pub/sub channel carrying lease notices to every replica's SSE subscribers. */
    @WithDefault("tp:lease:notices")
    String noticeChannel();

    /** Interval of SSE heartbeat comments, so dead connections are noticed and proxies keep them open. */
    @WithDefault("15s")
    Duration sseHeartbeat();

    /** Most rows a lease query returns. */
    @WithDefault("500")
    int queryLimit();

    /** Evidence kinds required to leave each phase forward (phase name -> kinds). */
    Map<String, List<String>> evidence();

    /** How often a replica that lost (or never had) its notice subscription tries again. */
    @WithDefault("1s")
    Duration noticeResubscribeInterval();

    /** Notice ids a replica remembers, so a notice heard both locally and over Redis is delivered once. */
    @WithDefault("10000")
    int noticeDedupSize();

    /** Calls to provenance-service (the anchors of a ledger verify). */
    Provenance provenance();

    /** {@code trustplane.lease.provenance.*}. */
    interface Provenance {

        /** Time to open a connection. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Time for the whole answer; past it the verify reports the chain alone. */
        @WithDefault("5s")
        Duration timeout();
    }
}

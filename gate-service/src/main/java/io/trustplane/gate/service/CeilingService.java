package io.trustplane.gate.service;

import io.trustplane.gate.domain.CeilingStatus;
import io.trustplane.gate.domain.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.events.DomainEvent;
import io.trustplane.common.events.Outbox;
import io.trustplane.common.redis.LuaScript;
import io.trustplane.gate.events.BatchedEvents;
import io.trustplane.common.events.UuidV7;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.redis.RedisDeadline;
import io.trustplane.gate.config.GateConfig;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Capability ceilings: one atomic Lua call per check keeps a sliding window of granted amounts per agent and
 * resource type (keys {@code tp:{agentId}:ceiling:<type>}, one hash slot) and grants only while the window's
 * total stays within the limit of the agent's registered tier. Redis' own clock decides, so replicas agree.
 */
@ApplicationScoped
public class CeilingService {

    private static final Logger LOG = Logger.getLogger(CeilingService.class);

    private final ReactiveRedisDataSource redis;
    private final RedisDeadline deadline;
    private final GateCaches caches;
    private final GateConfig.Ceiling config;
    private final BatchedEvents events;
    private final Outbox outbox;
    private final String script;
    private final String sha;
    private final Set<String> resourceTypes = new HashSet<>();
    private final Map<CeilingStatus, Counter> checks = new HashMap<>();
    private final Counter unavailable;

    public CeilingService(ReactiveRedisDataSource redis, RedisDeadline deadline, GateCaches caches, GateConfig config,
            BatchedEvents events, Outbox outbox, MeterRegistry registry) {
        this.redis = redis;
        this.deadline = deadline;
        this.caches = caches;
        this.config = config.ceiling();
        this.events = events;
        this.outbox = outbox;
        LuaScript lua = LuaScript.of(load("/ceiling.lua"));
        this.script = lua.source();
        this.sha = lua.sha1();
        this.config.limits().values().forEach(byType -> resourceTypes.addAll(byType.keySet()));
        for (CeilingStatus s : CeilingStatus.values()) {
            checks.put(s, Counter.builder("trustplane_gate_ceiling_checks_total").tag("status", s.name())
                    .register(registry));
        }
        this.unavailable = registry.counter("trustplane_gate_ceiling_unavailable_total");
    }

    /** The answer to one check. */
    public record Check(boolean allowed, CeilingStatus status, long used, long limit, long remaining, Instant resetAt,
            Tier tier, String reason) {
    }

    public Uni<Check> check(String agentId, String resourceType, long amount, Tier claimedTier) {
        if (!resourceTypes.contains(resourceType)) {
            return Uni.createFrom().failure(ProblemException.unprocessable("unknown_resource_type", "resourceType",
                    "no ceiling is configured for resource type '" + resourceType + "'; known: " + resourceTypes));
        }
        return caches.agents().get(agentId).flatMap(agent -> {
            Tier tier = agent == null ? Tier.UNKNOWN : agent.tier();
            if (claimedTier != null && claimedTier.ordinal() > tier.ordinal()) {
                // the registered tier decides the limit; claiming a higher one is a probe worth reporting
                outbox.writeNow(agentId, new DomainEvent.GamingSignal(GateService.BOUNDARY_TESTING,
                        "ceiling check claimed tier " + claimedTier + " above the registered tier " + tier, null,
                        claimedTier.name(), tier.name(), resourceType));
            }
            long limit = limit(tier, resourceType);
            Duration window = config.windows().getOrDefault(resourceType, config.defaultWindow());
            if (agent != null && agent.contained()) {
                checks.get(CeilingStatus.VIOLATION).increment();
                return Uni.createFrom().item(new Check(false, CeilingStatus.VIOLATION, 0, limit, 0, null, tier,
                        "agent is contained: " + agent.containment().reason()));
            }
            if (agent != null && agent.suspended()) {
                checks.get(CeilingStatus.VIOLATION).increment();
                return Uni.createFrom().item(new Check(false, CeilingStatus.VIOLATION, 0, limit, 0, null, tier,
                        "agent is suspended"));
            }
            return run(agentId, resourceType, amount, limit, window).map(r -> result(agentId, resourceType, amount,
                    limit, tier, r));
        });
    }

    private long limit(Tier tier, String resourceType) {
        Map<String, Long> byType = config.limits().get(tier.name());
        Long limit = byType == null ? null : byType.get(resourceType);
        return limit == null ? 0 : limit;
    }

    private Uni<Response> run(String agentId, String resourceType, long amount, long limit, Duration window) {
        String key = "tp:{" + agentId + "}:ceiling:" + resourceType;
        String[] args = {sha, "2", key, key + ":sum", Long.toString(window.toMillis()), Long.toString(amount),
                Long.toString(limit), UuidV7.next().toString()};
        // bounded: a frozen Redis fails the check (closed or open as configured) instead of holding it
        return deadline.bound(redis.execute("EVALSHA", args))
                .onFailure(f -> f.getMessage() != null && f.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> {
                    // the script cache is empty after a Redis restart: send the script itself, still one call
                    String[] withScript = args.clone();
                    withScript[0] = script;
                    return deadline.bound(redis.execute("EVAL", withScript));
                })
                .onFailure(f -> !(f instanceof ProblemException)).transform(f -> {
                    unavailable.increment();
                    LOG.warnf("ceiling store unavailable for agent %s: %s", agentId, f.toString());
                    return f;
                })
                .onFailure().recoverWithUni(f -> config.failOpen() ? Uni.createFrom().nullItem()
                        : Uni.createFrom().failure(ProblemException.unavailable("ceiling_store_unavailable",
                        "the ceiling store (Redis) is unreachable; ceilings fail closed, retry shortly")
                        .with("retryAfterSeconds", (int) Math.max(1, config.retryAfter().toSeconds()))));
    }

    private Check result(String agentId, String resourceType, long amount, long limit, Tier tier, Response r) {
        if (r == null) {
            // fail-open mode with Redis unreachable: allowed, but usage is unknown
            checks.get(CeilingStatus.COMPLIANT).increment();
            return new Check(true, CeilingStatus.COMPLIANT, -1, limit, -1, null, tier, "ceiling store unreachable; "
                    + "allowed because trustplane.gate.ceiling.fail-open=true");
        }
        boolean allowed = r.get(0).toLong() == 1;
        long used = r.get(1).toLong();
        Instant resetAt = Instant.ofEpochMilli(r.get(2).toLong());
        long threshold = (long) Math.ceil(limit * config.warningRatio());
        CeilingStatus status = CeilingStatus.of(allowed, used, limit, config.warningRatio());
        checks.get(status).increment();
        if (!allowed) {
            // a breach is a refusal worth keeping: written to the outbox in its own statement, off the answer's path
            outbox.writeNow(agentId, new DomainEvent.CeilingBreach(resourceType, amount, used, limit, tier.name()));
        } else if (status == CeilingStatus.WARNING && used - amount < threshold) {
            // only the check that crosses the warning line emits, not every one above it
            events.fire(agentId, new DomainEvent.CeilingWarning(resourceType, amount, used, limit, tier.name()));
        }
        return new Check(allowed, status, used, limit, Math.max(0, limit - used), resetAt, tier,
                allowed ? null : "requested " + amount + " would exceed the limit of " + limit);
    }

    private static String load(String resource) {
        try (InputStream in = CeilingService.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.trustplane.common.ratelimit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.trustplane.common.problem.Problem;
import io.trustplane.common.redis.RedisDeadline;
import io.trustplane.common.ratelimit.TokenBucket.Decision;
import io.trustplane.common.ratelimit.TokenBucket.Limit;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Applies {@link RateLimitConfig} to every request except {@code /q/*} (health, metrics, OpenAPI), right after
 * the bearer token is verified: a verified caller is limited by its subject and roles, anything else by its
 * client address, so a forged token naming someone cannot spend that someone's budget. Allowed answers carry
 * {@code X-RateLimit-Limit} (the burst), {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (seconds
 * until the bucket is full); a refused one is a 429 problem+json with {@code Retry-After}. Each replica keeps its
 * own buckets and, unless {@code trustplane.rate-limit.shared.enabled=false}, also draws on a budget shared with the
 * service's other replicas through Redis ({@link SharedBudgets}, synchronised every {@code sync-interval}, never on
 * the request path), so the rates hold for the service as a whole.
 */
@ApplicationScoped
public class RateLimitFilter {

    /** After authentication (200) and before authorization (100), see SecurityHandlerPriorities. */
    static final int PRIORITY = 180;

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";
    /** Retry-After when the shared budget refuses: shares are renewed every sync, well within a second. */
    static final int SHARED_RETRY_SECONDS = 1;

    private static final Logger LOG = Logger.getLogger(RateLimitFilter.class);

    /** Swallows the authentication failure while this filter looks at the identity: JAX-RS answers it later. */
    private static final BiConsumer<RoutingContext, Throwable> IGNORE_FAILURE = (ctx, failure) -> {
    };

    private final boolean enabled;
    private final RateLimiter callers;
    private final RateLimiter addresses;
    private final String[] exempt;
    private final String[] roles;
    private final Limit[] roleLimits;
    private final Limit anonymous;
    private final ObjectMapper mapper;
    private final SharedBudgets shared;
    private final Duration syncInterval;
    private final Vertx vertx;
    private volatile long syncTimer = -1;

    public RateLimitFilter(RateLimitConfig config, ObjectMapper mapper, ReactiveRedisDataSource redis,
            RedisDeadline deadline, Vertx vertx, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.enabled = config.enabled();
        this.mapper = mapper;
        this.vertx = vertx;
        this.syncInterval = config.shared().syncInterval();
        this.shared = config.enabled() && config.shared().enabled()
                ? new SharedBudgets(redis.getRedis(), "tp:ratelimit:" + service + ":", UUID.randomUUID().toString(),
                        syncInterval, config.maxCallers(), RateLimitFilter::wallClockMicros, deadline.timeout())
                : null;
        this.callers = new RateLimiter(config.maxCallers(), System::nanoTime);
        this.addresses = new RateLimiter(config.maxCallers(), System::nanoTime);
        this.exempt = config.exemptRoles().toArray(String[]::new);
        // most generous first, so the first role a caller holds decides
        List<Map.Entry<String, Limit>> byRole = new ArrayList<>();
        config.roles().forEach((role, rate) -> byRole.add(Map.entry(role, Limit.of(rate.requestsPerSecond(), rate.burst()))));
        byRole.sort(Comparator.comparingDouble((Map.Entry<String, Limit> e) -> e.getValue().requestsPerSecond())
                .thenComparingInt(e -> e.getValue().burst()).reversed());
        this.roles = byRole.stream().map(Map.Entry::getKey).toArray(String[]::new);
        this.roleLimits = byRole.stream().map(Map.Entry::getValue).toArray(Limit[]::new);
        this.anonymous = Limit.of(config.anonymous().requestsPerSecond(), config.anonymous().burst());
    }

    void register(@Observes Filters filters) {
        if (enabled) {
            filters.register(this::handle, PRIORITY);
        }
        if (shared != null) {
            syncTimer = vertx.setPeriodic(syncInterval.toMillis(), id -> shared.sync().subscribe().with(ok -> {
            }, failure -> LOG.debugf("could not share rate-limit budgets: %s", failure.toString())));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (syncTimer >= 0) {
            vertx.cancelTimer(syncTimer);
            syncTimer = -1;
        }
    }

    private static long wallClockMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/q/") || path.equals("/q")) {
            ctx.next();
            return;
        }
        if (ctx.user() instanceof QuarkusHttpUser user) {
            decide(ctx, user.getSecurityIdentity());
            return;
        }
        Uni<SecurityIdentity> deferred = ctx.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (deferred == null) {
            decide(ctx, null);
            return;
        }
        // the identity is memoized: JAX-RS later reuses this result (and answers a failure as 401 problem+json)
        Object failureHandler = ctx.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, IGNORE_FAILURE);
        deferred.subscribe().with(identity -> {
            restore(ctx, failureHandler);
            decide(ctx, identity);
        }, failure -> {
            restore(ctx, failureHandler);
            decide(ctx, null);
        });
    }

    private static void restore(RoutingContext ctx, Object failureHandler) {
        if (ctx.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) == IGNORE_FAILURE) {
            if (failureHandler == null) {
                ctx.remove(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
            } else {
                ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, failureHandler);
            }
        }
    }

    private void decide(RoutingContext ctx, SecurityIdentity identity) {
        Limit limit = null;
        long decision;
        if (identity != null && !identity.isAnonymous()) {
            for (String role : exempt) {
                if (identity.hasRole(role)) {
                    ctx.next();
                    return;
                }
            }
            for (int i = 0; i < roles.length && limit == null; i++) {
                if (identity.hasRole(roles[i])) {
                    limit = roleLimits[i];
                }
            }
        }
        String key;
        if (limit != null) {
            key = identity.getPrincipal().getName();
            decision = callers.take(key, limit);
            key = "c:" + key;
        } else {
            limit = anonymous;
            key = clientAddress(ctx);
            decision = addresses.take(key, limit);
            key = "a:" + key;
        }
        if (shared != null && Decision.isAllowed(decision) && !shared.admit(key, limit)) {
            // this replica's share of the service-wide budget is spent until its next sync
            decision = Decision.refused(SHARED_RETRY_SECONDS);
        }
        HttpServerResponse response = ctx.response();
        response.putHeader(LIMIT, limit.burstHeader());
        response.putHeader(REMAINING, Integer.toString(Decision.remaining(decision)));
        if (Decision.isAllowed(decision)) {
            response.putHeader(RESET, Integer.toString(Decision.seconds(decision)));
            ctx.next();
            return;
        }
        String retryAfter = Integer.toString(Decision.seconds(decision));
        response.setStatusCode(429)
                .putHeader(RESET, retryAfter)
                .putHeader("Retry-After", retryAfter)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(tooMany(limit, retryAfter, path(ctx)));
    }

    private static String clientAddress(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        String host = remote == null ? null : remote.hostAddress();
        return host == null ? "unknown" : host;
    }

    private static String path(RoutingContext ctx) {
        return ctx.normalizedPath();
    }

    private String tooMany(Limit limit, String retryAfter, String path) {
        Problem problem = new Problem(Problem.typeFor("rate_limited"), "Too Many Requests", 429, "rate_limited",
                "this caller may send " + rate(limit.requestsPerSecond()) + " requests per second (bursts of "
                        + limit.burst() + "); retry after " + retryAfter + " s",
                path, List.of(), Map.of());
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return "{\"status\":429,\"title\":\"Too Many Requests\"}";
        }
    }

    private static String rate(double rps) {
        return rps == Math.rint(rps) ? Long.toString((long) rps) : Double.toString(rps);
    }
}

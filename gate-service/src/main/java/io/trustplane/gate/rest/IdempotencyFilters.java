package io.trustplane.gate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.config.GateConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on every POST: the first successful (2xx) answer is kept in Redis for the configured
 * time, scoped by the authenticated caller, path and key, and a replay returns it unchanged (header
 * {@code Idempotent-Replayed: true}) without running the operation again. A replay racing the first request
 * is a 409; a failed first attempt keeps nothing, so the retry runs.
 */
public class IdempotencyFilters {

    public static final String HEADER = "Idempotency-Key";
    private static final Logger LOG = Logger.getLogger(IdempotencyFilters.class);
    private static final String PROPERTY = IdempotencyFilters.class.getName();
    private static final String PENDING = "pending";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final ObjectMapper mapper;
    private final Duration ttl;
    private final Duration pendingTtl;

    private final CurrentIdentityAssociation identity;

    public IdempotencyFilters(ReactiveRedisDataSource redis, ObjectMapper mapper, GateConfig config,
            CurrentIdentityAssociation identity) {
        this.identity = identity;
        this.redis = redis;
        this.values = redis.value(String.class);
        this.mapper = mapper;
        this.ttl = config.idempotency().ttl();
        this.pendingTtl = config.idempotency().pendingTtl();
    }

    @ServerRequestFilter
    public Uni<Response> replay(ContainerRequestContext request) {
        String key = request.getHeaderString(HEADER);
        if (key == null || !"POST".equals(request.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        if (!KEY.matcher(key).matches()) {
            return Uni.createFrom().failure(ProblemException.badRequest(HEADER, "must match " + KEY.pattern()));
        }
        // scoped by the verified caller, so another caller's key can never replay this caller's answer
        return identity.getDeferredIdentity().flatMap(who -> {
            if (who.isAnonymous()) {
                return Uni.createFrom().nullItem();
            }
            return lookup(request, "tp:gate:idempotency:" + sha256(who.getPrincipal().getName() + '\n'
                    + request.getUriInfo().getPath() + '\n' + key));
        });
    }

    private Uni<Response> lookup(ContainerRequestContext request, String redisKey) {
        // SET NX then GET: Redis 6.2 cannot combine NX with GET in one command
        return redis.execute("SET", redisKey, PENDING, "NX", "PX", Long.toString(pendingTtl.toMillis()))
                .flatMap(set -> {
                    if (set != null && "OK".equals(set.toString())) {
                        request.setProperty(PROPERTY, redisKey);
                        return Uni.createFrom().<Response>nullItem();
                    }
                    return values.get(redisKey).map(previous -> {
                        if (previous == null || PENDING.equals(previous)) {
                            throw ProblemException.conflict("idempotency_in_progress",
                                    "a request with this Idempotency-Key is still being processed; retry shortly");
                        }
                        return stored(previous);
                    });
                });
    }

    @ServerResponseFilter
    public void remember(ContainerRequestContext request, ContainerResponseContext response) {
        Object redisKey = request.getProperty(PROPERTY);
        if (!(redisKey instanceof String k)) {
            return;
        }
        if (response.getStatus() / 100 != 2) {
            values.getdel(k).subscribe().with(x -> {
            }, f -> LOG.debugf("could not clear idempotency key: %s", f.toString()));
            return;
        }
        try {
            ObjectNode record = mapper.createObjectNode();
            record.put("status", response.getStatus());
            record.put("body", response.getEntity() == null ? null : mapper.writeValueAsString(response.getEntity()));
            values.set(k, mapper.writeValueAsString(record), new SetArgs().px(ttl)).subscribe().with(x -> {
            }, f -> LOG.warnf("could not store idempotent response: %s", f.toString()));
        } catch (JsonProcessingException e) {
            LOG.warnf("could not serialise idempotent response: %s", e.toString());
        }
    }

    private Response stored(String json) {
        try {
            ObjectNode record = (ObjectNode) mapper.readTree(json);
            Response.ResponseBuilder b = Response.status(record.get("status").asInt()).header("Idempotent-Replayed", "true");
            if (record.hasNonNull("body")) {
                b.type(MediaType.APPLICATION_JSON_TYPE).entity(record.get("body").asText());
            }
            return b.build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

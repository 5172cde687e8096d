package io.trustplane.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.trustplane.common.redis.RedisDeadline;

import java.time.Duration;

/**
 * Keys in Redis (kept through restarts by its append-only file), for hot routes whose answer depends on Redis
 * anyway: {@code SET NX PX} to claim, then {@code GET} when taken (Redis 6.2 cannot combine NX with GET), and
 * {@code SET PX} for the answer. Every call is bounded by {@link RedisDeadline}.
 */
final class RedisIdempotencyStore implements IdempotencyStore {

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final RedisDeadline deadline;
    private final ObjectMapper mapper;
    private final String namespace;
    private final Duration ttl;
    private final Duration pendingTtl;

    RedisIdempotencyStore(ReactiveRedisDataSource redis, RedisDeadline deadline, ObjectMapper mapper, String namespace,
            Duration ttl, Duration pendingTtl) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.deadline = deadline;
        this.mapper = mapper;
        this.namespace = namespace;
        this.ttl = ttl;
        this.pendingTtl = pendingTtl;
    }

    @Override
    public Uni<Held> claim(String key, String fingerprint) {
        String pending = mapper.createObjectNode().put("fingerprint", fingerprint).toString();
        return deadline.bound(redis.execute("SET", namespace + key, pending, "NX", "PX",
                        Long.toString(pendingTtl.toMillis())))
                .flatMap(set -> set != null && "OK".equals(set.toString()) ? Uni.createFrom().<Held>nullItem()
                        : deadline.bound(values.get(namespace + key)).map(this::held));
    }

    private Held held(String previous) {
        JsonNode stored = parse(previous);
        if (stored == null) {
            return new Held(null, 0, null, null, null);
        }
        return new Held(stored.path("fingerprint").asText(null), stored.path("status").asInt(0),
                stored.path("type").asText(null), stored.hasNonNull("location") ? stored.get("location").asText() : null,
                stored.hasNonNull("body") ? stored.get("body").asText() : null);
    }

    @Override
    public Uni<Void> complete(String key, Held answer) {
        ObjectNode done = mapper.createObjectNode();
        done.put("fingerprint", answer.fingerprint());
        done.put("status", answer.status());
        done.put("type", answer.type());
        if (answer.location() != null) {
            done.put("location", answer.location());
        }
        done.put("body", answer.body());
        return deadline.bound(values.set(namespace + key, done.toString(), new SetArgs().px(ttl)));
    }

    @Override
    public Uni<Void> release(String key, String fingerprint) {
        return deadline.bound(values.getdel(namespace + key)).replaceWithVoid();
    }

    private JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
